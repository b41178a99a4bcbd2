"""Working hours and absences as people type them, German or English:

    Mo–Fr 8:00–16:00 | Mon-Thu 9-17 | Mo, Mi, Fr 8:30-12:30 | Di-Sa 10 - 18:30
    24.12.2026 – 2.1.2027 | 24.12.–2.1. | 2026-12-24 to 2027-01-02 | 24.12. (one day)

A date without a year is the next such date from today; an end before its start without a
year is in the following year. Each reader returns None for what it cannot read.
"""

from __future__ import annotations

import re
from datetime import date, time

_DAYS = {"mo": 0, "mon": 0, "montag": 0, "monday": 0, "di": 1, "tue": 1, "dienstag": 1,
         "tuesday": 1, "mi": 2, "wed": 2, "mittwoch": 2, "wednesday": 2, "do": 3, "thu": 3,
         "donnerstag": 3, "thursday": 3, "fr": 4, "fri": 4, "freitag": 4, "friday": 4,
         "sa": 5, "sat": 5, "samstag": 5, "saturday": 5, "so": 6, "sun": 6, "sonntag": 6,
         "sunday": 6}
_DASH = re.compile(r"\s*(?:–|—|-|bis|to|until)\s*")
_SPACED_RANGE = re.compile(r"^(.+?)\s+(?:–|—|-|bis|to|until)\s+(.+)$")
_TIGHT_RANGE = re.compile(r"^([\d.]+)\s*[–—-]\s*([\d.]+)$")
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?(?:\s*uhr)?$")
_SPAN = re.compile(r"^(?P<start>\d{1,2}(?:[:.]\d{2})?(?:\s*uhr)?)(?:–|—|-|\s+bis\s+|\s+to\s+)"
                   r"(?P<end>\d{1,2}(?:[:.]\d{2})?(?:\s*uhr)?)$")
_DATE = re.compile(r"^(?:(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4}|\d{2})?"
                   r"|(?P<iso>\d{4}-\d{2}-\d{2}))$")


def parse_week(text: str) -> tuple[frozenset[int], time, time] | None:
    """`<days> <from>–<to>`: the days (Monday = 0) and the span; None when unreadable."""
    phrase = " ".join(text.lower().replace(",", " , ").split())
    found = re.search(r"\d", phrase)
    if found is None:
        return None
    days, span = _days(phrase[:found.start()]), _span(phrase[found.start():].strip())
    if days is None or span is None:
        return None
    return days, span[0], span[1]


def parse_absence(text: str, today: date) -> tuple[date, date] | None:
    """`<first day>[–<last day>]`: both days (included); None when unreadable, when the
    last day is before the first, or when it ended before today."""
    parts = _range(text.strip().lower())
    if not parts or not all(parts):
        return None
    first = _date(parts[0], today)
    last = _date(parts[1], first or today) if len(parts) > 1 else first
    if first is None or last is None or last < first or last < today:
        return None
    return first, last


def _range(text: str) -> list[str]:
    """`a – b`, `a bis b`, `a-b` (not inside an ISO date) → [a, b]; else [text]."""
    spaced = _SPACED_RANGE.match(text)
    if spaced:
        return [spaced[1], spaced[2]]
    tight = _TIGHT_RANGE.match(text)
    return [tight[1], tight[2]] if tight else [text] if text else []


def _days(words: str) -> frozenset[int] | None:
    chosen: set[int] = set()
    words = _DASH.sub("-", words)
    for part in (p.strip() for p in words.split(",")):
        for piece in part.split():
            ends = piece.strip(".").split("-")
            if not all(e.strip(".") in _DAYS for e in ends):
                return None
            first, last = _DAYS[ends[0].strip(".")], _DAYS[ends[-1].strip(".")]
            if last < first:
                return None
            chosen.update(range(first, last + 1))
    return frozenset(chosen) or None


def _span(text: str) -> tuple[time, time] | None:
    match = _SPAN.match(text.replace(" – ", "–").replace(" - ", "-"))
    if match is None:
        return None
    start, end = _clock(match["start"]), _clock(match["end"])
    if start is None or end is None or start >= end:
        return None
    return start, end


def _clock(text: str) -> time | None:
    match = _CLOCK.match(text.strip())
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _date(text: str, after: date) -> date | None:
    """A date; without a year the first such date not before `after`."""
    match = _DATE.match(text.strip())
    if match is None:
        return None
    try:
        if match["iso"]:
            return date.fromisoformat(match["iso"])
        day, month = int(match["d"]), int(match["m"])
        if match["y"]:
            year = int(match["y"])
            return date(year + 2000 if year < 100 else year, month, day)
        found = date(after.year, month, day)
        return found if found >= after else date(after.year + 1, month, day)
    except ValueError:
        return None
