"""The date of service (Leistungsdatum) a German invoice must print (§ 14 Abs. 4 Nr. 6
UStG): one day or a period, kept on the item as the custom field `service_date` (set with
`/edit <item> leistungsdatum 15.11.2026`, or `01.11.2026 - 30.11.2026`, or a month
`11/2026`). An invoice of an item without one prints its own date, which the law accepts
when the service was rendered that day.

Stored as ISO 8601 (`2026-11-15`, or `2026-11-01/2026-11-30` for a period), so conditions
and templates read it the same in every language."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

FIELD = "service_date"  # among the item's custom fields
NAMES = ("service_date", "servicedate", "leistungsdatum", "leistungszeitraum")
_GERMAN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_MONTH = re.compile(r"(\d{1,2})[./](\d{4})")
_SEPARATOR = re.compile(r"\s*(?:/|–|—|\s-\s|(?<=\.\d{4})-|\bbis\b|\bto\b|\buntil\b)\s*")


@dataclass(frozen=True, slots=True)
class ServicePeriod:
    start: date
    end: date  # the same day for a date of service

    @property
    def is_period(self) -> bool:
        return self.end != self.start

    @property
    def stored(self) -> str:
        return self.start.isoformat() if not self.is_period else \
            f"{self.start.isoformat()}/{self.end.isoformat()}"


def parse_service_period(text: str) -> ServicePeriod | None:
    """A typed date (15.11.2026, 2026-11-15), month (11/2026, 11.2026) or period of two
    dates (separated by " - ", "–", "bis", "to" or "/" as stored); None when it is none."""
    value = text.strip()
    month = _MONTH.fullmatch(value)
    if month:
        number, year = int(month[1]), int(month[2])
        if not 1 <= number <= 12:
            return None
        last = calendar.monthrange(year, number)[1]
        return ServicePeriod(date(year, number, 1), date(year, number, last))
    parts = [p for p in _SEPARATOR.split(value) if p] if not _ISO.fullmatch(value) else [value]
    if len(parts) > 2:
        return None
    days = [_day(p) for p in parts]
    if not days or any(d is None for d in days):
        return None
    start, end = days[0], days[-1]
    assert start is not None and end is not None
    return ServicePeriod(start, end) if start <= end else None


def _day(text: str) -> date | None:
    german, iso = _GERMAN.fullmatch(text.strip()), _ISO.fullmatch(text.strip())
    try:
        if german:
            return date(int(german[3]), int(german[2]), int(german[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:  # 31.02.2026
        return None
    return None
