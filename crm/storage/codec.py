"""Conversions between Python values and their SQLite column forms."""

from __future__ import annotations

from collections.abc import Sized
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MAX_ID = 2**63 - 1  # SQLite's largest INTEGER; a bigger number (typed by a user) is no row


def storable(row_id: int) -> bool:
    return 0 <= row_id <= MAX_ID


def ts(moment: datetime | None) -> str | None:
    """Timestamps are stored as ISO-8601 in UTC, so text order is time order."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime reached storage")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def parse_ts(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def parse_ts_required(value: str) -> datetime:
    """A timestamp of a NOT NULL column."""
    return datetime.fromisoformat(value)


def to_minor(amount: Decimal | None) -> int | None:
    if amount is None:
        return None
    return int((amount.quantize(CENT, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def from_minor(value: int | None) -> Decimal | None:
    return None if value is None else (Decimal(value) / 100).quantize(CENT)


def placeholders(values: Sized) -> str:
    """`?, ?, ?` for an `IN (...)` of that many values; `NULL` for none, so `IN (NULL)`
    matches nothing on both databases (PostgreSQL refuses an empty `IN ()`). Never for a
    `NOT IN`, which NULL would make match nothing too."""
    return ", ".join("?" * len(values)) or "NULL"
