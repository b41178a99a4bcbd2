"""The period of a report: what `/report <what> [period]` accepts, and how it reads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.dates import format_date

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DAYS = re.compile(r"(\d{1,4})\s*(d|t|days?|tage?)")
MONTH = ("month", "monat")
ALL = ("all", "alle", "alles")


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime
    end: datetime  # exclusive: a moment after now, so that what happened now counts
    label: str


def parse_period(text: str, now: datetime, timezone: str) -> Period | None:
    """`7d`, `30d` (any number of days), `month` (this calendar month) or `all`;
    nothing means 30 days. None when the text is none of these."""
    word = text.strip().lower() or "30d"
    end = now + timedelta(seconds=1)
    if found := DAYS.fullmatch(word):
        days = int(found.group(1))
        if days < 1:
            return None
        return Period(now - timedelta(days=days), end,
                      ngettext("last day", "last {n} days", days).format(n=days))
    if word in MONTH:
        local = now.astimezone(ZoneInfo(timezone))
        first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return Period(first, end, _("this month"))
    if word in ALL:
        return Period(EPOCH, end, _("all time"))
    return None


def dates(period: Period, start: datetime, end: datetime, language: str,
          timezone: str) -> str:
    """The period's label with its first and last day (`start`, exclusive `end`)."""
    if period.start == EPOCH:
        return period.label
    zone = ZoneInfo(timezone)
    first = format_date(max(start, period.start).astimezone(zone), "medium", locale=language)
    last = format_date((end - timedelta(seconds=1)).astimezone(zone), "medium",
                       locale=language)
    return f"{period.label}: {first} – {last}"
