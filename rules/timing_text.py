"""Timing as people write it, in YAML files and in the chat — English or German:

    immediately | sofort
    after 10 minutes | nach 2 Stunden | 3 days
    at 2026-12-01 09:00 | am 2026-12-01 09:00 | am 01.12.2026 um 09:00 | on 1 Dec 2026 at 09:00
    1 day before custom.deadline | 2 Stunden nach Phasenbeginn

`in working hours` / `in (der) Arbeitszeit` at the end moves the moment into working hours.
`format_timing` writes the English form back, which `parse_timing` reads to the same Timing;
a reader's own form (rules/timing_words.py) reads back too.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from rules.conditions.labels import from_label
from rules.errors import RuleInvalid
from rules.model import TimeUnit, Timing, TimingMode
from rules.timing_words import timing_words

_UNITS = {
    "minute": TimeUnit.MINUTES, "minutes": TimeUnit.MINUTES, "min": TimeUnit.MINUTES,
    "minuten": TimeUnit.MINUTES,
    "hour": TimeUnit.HOURS, "hours": TimeUnit.HOURS, "h": TimeUnit.HOURS,
    "stunde": TimeUnit.HOURS, "stunden": TimeUnit.HOURS,
    "day": TimeUnit.DAYS, "days": TimeUnit.DAYS, "d": TimeUnit.DAYS,
    "tag": TimeUnit.DAYS, "tage": TimeUnit.DAYS, "tagen": TimeUnit.DAYS,
}
_NOW = {"immediately", "now", "sofort", "at once"}
_WORKING = re.compile(
    r"\s*,?\s*(in working hours|in (?:der )?arbeitszeit|working hours only)\s*$")
# The responsible person's own hours (rules/staff_hours), before the company's in a phrase.
_RESPONSIBLE = re.compile(
    r"\s*,?\s*in (?:(?:the )?responsible(?: person)?'s (?:own )?working hours"
    r"|(?:der )?arbeitszeit (?:der verantwortlichen person|des verantwortlichen))\s*$")
_DELAY = re.compile(r"^(?:after|in|nach)?\s*(\d+)\s*([a-zäöü()]+)$")
_AT = re.compile(r"^(?:at|am|um|on)\s+(.+)$")
# How rules/timing_words.py writes a moment (`30.12.2026 um 10:00`, `30 dec 2026 at 10:00`).
_READABLE_MOMENTS = ("%d.%m.%Y um %H:%M", "%d.%m.%Y, %H:%M", "%d.%m.%Y %H:%M",
                     "%d %b %Y at %H:%M", "%d %b %Y, %H:%M", "%d %b %Y %H:%M")
_RELATIVE = re.compile(r"^(\d+)\s*([a-zäöü()]+)\s+(before|after|vor|nach)\s+([\w.]+)$")


def parse_timing(text: str, timezone: str = "Europe/Berlin") -> Timing:
    """The Timing a phrase means; raises RuleInvalid(field='timing') naming the phrase."""
    phrase = " ".join(str(text).split()).lower().replace("’", "'")
    responsible = bool(_RESPONSIBLE.search(phrase))
    phrase = _RESPONSIBLE.sub("", phrase)
    working = bool(_WORKING.search(phrase))
    phrase = _WORKING.sub("", phrase)
    try:
        timing = _parse(phrase, working, timezone, str(text))
        return timing.model_copy(update={"responsible_hours": True}) if responsible else timing
    except ValidationError as error:
        raise _bad(str(text), error.errors()[0]["msg"]) from error


def _parse(phrase: str, working: bool, timezone: str, original: str) -> Timing:
    if phrase in _NOW or phrase == "":
        return Timing(working_hours_only=working)
    if match := _DELAY.match(phrase):
        return Timing(mode=TimingMode.DELAY, amount=int(match[1]), unit=_unit(match[2], original),
                      working_hours_only=working)
    if match := _RELATIVE.match(phrase):
        labelled = from_label(match[4])  # `3 Tage vor Phasenbeginn`
        field = match[4] if match[4].startswith("custom.") else (
            labelled or match[4]).removeprefix("item.")
        direction: Literal["before", "after"] = (
            "before" if match[3] in ("before", "vor") else "after")
        return Timing(mode=TimingMode.RELATIVE, amount=int(match[1]),
                      unit=_unit(match[2], original), field=_original_case(original, field),
                      direction=direction, working_hours_only=working)
    if match := _AT.match(phrase):
        moment = _moment(match[1].strip())
        if moment is None:
            raise _bad(original, "not a date and time like 2026-12-01 09:00")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(timezone))
        return Timing(mode=TimingMode.AT, at=moment, working_hours_only=working)
    raise _bad(original, "write e.g. immediately, after 10 minutes, at 2026-12-01 09:00, "
                         "1 day before custom.deadline")


def format_timing(timing: Timing, language: str = "en") -> str:
    """The phrase for `timing` in English as files write it (ISO moments); in another
    language as its reader writes it (rules/timing_words.py). Both read back the same."""
    if language != "en":
        return timing_words(timing, language)
    words = _ENGLISH
    suffix = words["working"] if timing.working_hours_only else ""
    suffix += words["responsible"] if timing.responsible_hours else ""
    unit = words[timing.unit.value + ("1" if timing.amount == 1 else "")]
    if timing.mode is TimingMode.DELAY:
        return f"{words['after']} {timing.amount} {unit}{suffix}"
    if timing.mode is TimingMode.AT and timing.at is not None:
        return f"{words['at']} {timing.at.isoformat(timespec='minutes')}{suffix}"
    if timing.mode is TimingMode.RELATIVE:
        return f"{timing.amount} {unit} {words[timing.direction]} {timing.field}{suffix}"
    return f"{words['now']}{suffix}"


_ENGLISH = {"now": "immediately", "after": "after", "at": "at", "before": "before",
            "working": ", in working hours",
            "responsible": ", in the responsible person's working hours",
            "minutes": "minutes", "minutes1": "minute",
            "hours": "hours", "hours1": "hour", "days": "days", "days1": "day"}


def _moment(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        pass
    for pattern in _READABLE_MOMENTS:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _unit(word: str, original: str) -> TimeUnit:
    unit = _UNITS.get(word)
    if unit is None:
        raise _bad(original, f"unknown unit “{word}” (minutes, hours, days)")
    return unit


def _original_case(original: str, field: str) -> str:
    """Custom field names keep the case they were written in."""
    found = re.search(re.escape(field), original, flags=re.IGNORECASE)
    return found.group(0) if found else field


def _bad(text: str, reason: str) -> RuleInvalid:
    return RuleInvalid(field="timing", value=text, reason=reason, errors=[])
