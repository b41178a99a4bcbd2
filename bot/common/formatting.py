"""Money, dates and names as a reader of each language expects them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.numbers import format_currency, format_decimal

from crm.models import Staff, localized

__all__ = ["echo", "escape", "localized", "moment", "money", "person", "quantity_text"]
ECHO_LIMIT = 60  # characters of what someone typed that an answer quotes back


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """What the user typed, quoted back in an answer: on one line, at most `limit`
    characters ("…" where cut), escaped for HTML. A 4,096-character command still gets an
    answer that fits in one message and reads as a sentence."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return escape(line)


def money(amount: Decimal | None, currency: str, language: str) -> str:
    if amount is None:
        return "—"
    return str(format_currency(amount, currency, locale=language))


def quantity_text(quantity: Decimal, language: str) -> str:
    """2, 1.5 or 100 — not 2.00 or 1E+2."""
    return str(format_decimal(quantity, locale=language))


def moment(at: datetime, language: str, timezone: str) -> str:
    return str(format_datetime(at.astimezone(ZoneInfo(timezone)), "short", locale=language))


def person(staff: Staff | None) -> str:
    if staff is None:
        return "—"
    return escape(staff.name) + (f" (@{escape(staff.username)})" if staff.username else "")
