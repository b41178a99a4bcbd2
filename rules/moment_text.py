"""A moment as people type it for a reminder, English or German — the rule timings of
rules/timing_text.py plus the calendar:

    in 2 hours | nach 2 Stunden | after 30 minutes | at 2026-12-01 09:00   (as in rules)
    in an hour | in einer Stunde | in 2 weeks | in 1 Woche
    tomorrow 9:00 | morgen 9 Uhr | übermorgen | today 17:30 | heute um 17 Uhr
    tuesday 10:00 | Dienstag 10:00 | next monday 9am | nächsten Montag | am Freitag 14:00
    12.12. 14:00 | 12.12.2026 | 2026-12-12 14:00 | 10:00 | um 15 Uhr | 3pm

Rules, in the team's time zone:
- a day without a clock time means the opening of working hours (`default_time`);
- a clock time without a day means its next occurrence (today, else tomorrow);
- a weekday means its next occurrence at that time (today if still ahead, else in a week);
  `next`/`nächsten` Monday is the coming one, never today;
- a date without a year means the nearest such date (5.1. in December: next January);
- a moment that is not ahead of `now` is refused (`MomentInvalid.reason == "past"`).

`split_moment` reads the longest leading phrase of a text as the moment and returns the rest
(the reminder's text); with a `;` the part before it is the phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rules.errors import RuleInvalid
from rules.model import TimingMode
from rules.timing import WorkingHours
from rules.timing_text import parse_timing

MAX_PHRASE_WORDS = 6

_DAYS = {"today": 0, "heute": 0, "tomorrow": 1, "morgen": 1, "übermorgen": 2,
         "uebermorgen": 2, "day after tomorrow": 2}
_WEEKDAYS = {
    "monday": 0, "montag": 0, "mon": 0, "tuesday": 1, "dienstag": 1, "tue": 1, "tues": 1,
    "wednesday": 2, "mittwoch": 2, "wed": 2, "thursday": 3, "donnerstag": 3, "thu": 3,
    "thurs": 3, "friday": 4, "freitag": 4, "fri": 4, "saturday": 5, "samstag": 5,
    "sonnabend": 5, "sat": 5, "sunday": 6, "sonntag": 6, "sun": 6,
}
_NEXT = ("next", "nächsten", "nächster", "nächstes", "naechsten", "kommenden", "coming")
_ON = ("on", "am", "this", "diesen", "this coming")
_AT = ("at", "um", "@", "gegen")
_DAY_WORD = "|".join(sorted((re.escape(w) for w in (*_DAYS, *_WEEKDAYS)), key=len,
                            reverse=True))
_DAY = re.compile(
    rf"^(?:(?P<next>{'|'.join(_NEXT)})\s+|(?:{'|'.join(_ON)})\s+)?(?:(?P<word>{_DAY_WORD})"
    r"|(?P<d>\d{1,2})\.(?P<m>\d{1,2})(?:\.(?P<y>\d{4}|\d{2})?)?|(?P<iso>\d{4}-\d{2}-\d{2}))$")
# What the rules' delays lack: weeks, and "an hour" / "einer Stunde" in words.
_SPOKEN_DELAY = re.compile(
    r"^(?:in|after|nach)\s+(?P<n>\d+|an?|one|eine[mr]?|einen)\s+(?P<unit>[a-zäöü]+)$")
_SPOKEN_UNITS = {"minute": "minutes", "minutes": "minutes", "minute(s)": "minutes",
                 "minuten": "minutes", "hour": "hours", "hours": "hours", "stunde": "hours",
                 "stunden": "hours", "day": "days", "days": "days", "tag": "days",
                 "tagen": "days", "week": "weeks", "weeks": "weeks", "woche": "weeks",
                 "wochen": "weeks"}
_CLOCK = re.compile(
    rf"^(?P<at>(?:{'|'.join(_AT)})\s+)?(?P<h>\d{{1,2}})(?:(?P<sep>[:.])(?P<min>\d{{2}}))?\s*"
    r"(?P<suffix>uhr|am|pm|a\.m\.|p\.m\.)?$")


class MomentInvalid(Exception):
    """`reason`: "unknown" (not a moment I can read) or "past" (`moment` is not ahead)."""

    def __init__(self, reason: str, text: str, moment: datetime | None = None) -> None:
        super().__init__(f"{reason}: {text}")
        self.reason = reason
        self.text = text
        self.moment = moment


@dataclass(frozen=True, slots=True)
class _Read:
    moment: datetime


def parse_moment(text: str, now: datetime, timezone: str,
                 default_time: time = time(9, 0)) -> datetime:
    """The moment (UTC) `text` means, seen at `now`; raises MomentInvalid."""
    found = _read(text, now, ZoneInfo(timezone), default_time)
    if found is None:
        raise MomentInvalid("unknown", text)
    if found.moment <= now:
        raise MomentInvalid("past", text, found.moment)
    return found.moment


def split_moment(text: str, now: datetime, timezone: str, default_time: time = time(9, 0)
                 ) -> tuple[datetime, str]:
    """The moment at the start of `text` and the rest: `<phrase>; <rest>`, else the longest
    leading words that read as a moment. Raises MomentInvalid (for the whole phrase when
    nothing at its start reads as a moment)."""
    if ";" in text:
        phrase, rest = text.split(";", 1)
        return parse_moment(phrase, now, timezone, default_time), rest.strip()
    words = text.split()
    zone = ZoneInfo(timezone)
    for count in range(min(len(words), MAX_PHRASE_WORDS), 0, -1):
        phrase = " ".join(words[:count])
        found = _read(phrase, now, zone, default_time)
        if found is not None:
            if found.moment <= now:
                raise MomentInvalid("past", phrase, found.moment)
            return found.moment, " ".join(words[count:])
    raise MomentInvalid("unknown", " ".join(words[:MAX_PHRASE_WORDS]))


def next_working_morning(now: datetime, hours: WorkingHours) -> datetime:
    """The opening of the first working day after today (tomorrow 9:00 on a working day
    before one; Monday 9:00 on a Friday), in UTC."""
    zone = hours.zone
    day = now.astimezone(zone).date() + timedelta(days=1)
    for _ in range(400):
        if hours.is_working_day(day):
            return datetime.combine(day, hours.start, zone).astimezone(UTC)
        day += timedelta(days=1)
    return datetime.combine(now.astimezone(zone).date() + timedelta(days=1), hours.start,
                            zone).astimezone(UTC)


def _read(text: str, now: datetime, zone: ZoneInfo, default_time: time) -> _Read | None:
    phrase = " ".join(text.lower().replace(",", " ").split())
    if not phrase:
        return None
    calendar = _calendar(phrase, now, zone, default_time)
    if calendar is not None:
        return _Read(calendar)
    if (spoken := _SPOKEN_DELAY.match(phrase)) and spoken["unit"] in _SPOKEN_UNITS:
        count = int(spoken["n"]) if spoken["n"].isdigit() else 1
        if count <= 1000:
            return _Read(now + timedelta(**{_SPOKEN_UNITS[spoken["unit"]]: count}))
    return _rule_timing(phrase, now, zone)


def _rule_timing(phrase: str, now: datetime, zone: ZoneInfo) -> _Read | None:
    """A delay or an exact moment in the rules' language ("in 2 hours", "at 2026-12-01
    09:00"); not "immediately" nor a moment relative to an item's field."""
    try:
        timing = parse_timing(phrase, str(zone))
    except RuleInvalid:
        return None
    if timing.working_hours_only:
        return None
    if timing.mode is TimingMode.DELAY:
        unit = {"minutes": "minutes", "hours": "hours", "days": "days"}[timing.unit.value]
        return _Read(now + timedelta(**{unit: timing.amount}))
    if timing.mode is TimingMode.AT and timing.at is not None:
        return _Read(timing.at.astimezone(UTC))
    return None


def _calendar(phrase: str, now: datetime, zone: ZoneInfo, default_time: time
              ) -> datetime | None:
    """A day and/or a clock time: `<day> [<clock>]`, `<clock> [<day>]`."""
    for day_part, clock_part in _splits(phrase):
        clock = _clock(clock_part) if clock_part else None
        if clock_part and clock is None:
            continue
        if day_part:
            moment = _day(day_part, clock or default_time, now, zone)
            if moment is not None:
                return moment
        elif clock is not None:
            local = now.astimezone(zone)
            moment = datetime.combine(local.date(), clock, zone)
            if moment <= now:
                moment = datetime.combine(local.date() + timedelta(days=1), clock, zone)
            return moment.astimezone(UTC)
    return None


def _splits(phrase: str) -> list[tuple[str, str]]:
    """Ways to read the phrase as (day, clock): all day, all clock, or split at a space."""
    words = phrase.split(" ")
    found = [(phrase, ""), ("", phrase)]
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        found += [(head, tail), (tail, head)]
    return found


def _clock(text: str) -> time | None:
    match = _CLOCK.match(text)
    if match is None:
        return None
    hour, minute, suffix = int(match["h"]), int(match["min"] or 0), match["suffix"]
    if match["min"] is None and suffix is None and not match["at"]:
        return None  # a bare number is not a clock time ("12" may be the text), "at 9" is
    if match["sep"] == "." and suffix != "uhr":
        return None  # 9.30 only as "9.30 Uhr": else it reads like a date
    if suffix in ("am", "a.m.", "pm", "p.m."):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _day(text: str, clock: time, now: datetime, zone: ZoneInfo) -> datetime | None:
    match = _DAY.match(text)
    if match is None:
        return None
    today = now.astimezone(zone).date()
    word = match["word"]
    if word in _DAYS:
        if match["next"]:
            return None
        return _at(today + timedelta(days=_DAYS[word]), clock, zone)
    if word is not None:
        ahead = (_WEEKDAYS[word] - today.weekday()) % 7
        if match["next"] and ahead == 0:
            ahead = 7
        moment = _at(today + timedelta(days=ahead), clock, zone)
        if moment <= now:
            moment = _at(today + timedelta(days=ahead + 7), clock, zone)
        return moment
    if match["next"]:
        return None
    try:
        if match["iso"]:
            return _at(date.fromisoformat(match["iso"]), clock, zone)
        day, month = int(match["d"]), int(match["m"])
        if match["y"]:
            year = int(match["y"]) + (2000 if len(match["y"]) == 2 else 0)
            return _at(date(year, month, day), clock, zone)
        return _at(_nearest(today, month, day), clock, zone)
    except ValueError:
        return None


def _nearest(today: date, month: int, day: int) -> date:
    """The date of that day and month nearest to today: 5.1. typed in December is next
    January, 22.11. typed on 23.11. is yesterday (and so refused as past)."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            found.append(date(year, month, day))
        except ValueError:  # 29.2. of a year without it
            continue
    if not found:
        raise ValueError("no such day")
    return min(found, key=lambda d: abs((d - today).days))


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, zone).astimezone(UTC)
