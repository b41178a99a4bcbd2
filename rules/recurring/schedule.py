"""Copy schedules as data, and when their occurrences fall.

Occurrence n (from 1) is computed from the anchor (the moment the schedule was set up), never
from the previous occurrence, so months do not drift: a schedule set up on 31 January
copies on 28 (29) February, 31 March, 30 April... Times are wall-clock times in the
configured time zone, so a copy made at 10:00 stays at 10:00 across daylight saving.

- days / weeks / months: every `every` days, weeks or months after the anchor, at the
  anchor's time of day;
- month_day: on day `day` of every `every`-th month (the last day in shorter months), at
  the opening of working hours; the first one is the first such day after the anchor.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_STEPS = 100_000  # occurrences skipped in one catch-up (daily for 270 years)


class Repeat(enum.StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    MONTH_DAY = "month_day"


class ScheduleState(enum.StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


@dataclass(slots=True)
class CopySchedule:
    id: int
    origin_id: int
    rule_id: int | None
    run_id: int | None
    pipeline_id: int
    stage_id: int
    repeat: Repeat
    every: int
    anchor_at: datetime
    created_at: datetime
    day: int | None = None
    title: str | None = None
    occurrence: int = 1  # the next occurrence's number
    copies: int = 0
    max_copies: int | None = None
    next_due_at: datetime | None = None
    state: ScheduleState = ScheduleState.ACTIVE
    end_reason: str | None = None  # lost, stopped, done, origin_gone, stage_gone, failed
    ended_by: int | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CopyScheduled:
    """A rule run set up a schedule (published in the run's transaction)."""

    schedule_id: int


@dataclass(frozen=True, slots=True)
class Calendar:
    zone: ZoneInfo
    opening: time  # month_day copies are made at this local time


def occurrence_at(schedule: CopySchedule, n: int, cal: Calendar) -> datetime:
    anchor = schedule.anchor_at.astimezone(cal.zone)
    step = schedule.every * n
    if schedule.repeat is Repeat.DAYS:
        return _at(anchor.date() + timedelta(days=step), anchor.time(), cal)
    if schedule.repeat is Repeat.WEEKS:
        return _at(anchor.date() + timedelta(weeks=step), anchor.time(), cal)
    if schedule.repeat is Repeat.MONTHS:
        return _at(add_months(anchor.date(), step, anchor.day), anchor.time(), cal)
    day = schedule.day or 1
    first = _at(add_months(anchor.date(), 0, day), cal.opening, cal)
    base = 0 if first > schedule.anchor_at else 1
    return _at(add_months(anchor.date(), base + schedule.every * (n - 1), day), cal.opening, cal)


def next_after(schedule: CopySchedule, moment: datetime, cal: Calendar) -> tuple[int, datetime]:
    """The first occurrence (from the schedule's next one on) that falls after `moment`."""
    n = max(schedule.occurrence, 1)
    at = occurrence_at(schedule, n, cal)
    for _ in range(MAX_STEPS):
        if at > moment:
            return n, at
        n += 1
        at = occurrence_at(schedule, n, cal)
    raise ValueError("schedule too far behind")


def add_months(day: date, months: int, wanted_day: int) -> date:
    """The date `months` months after `day`'s month, on `wanted_day` or the month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(wanted_day, last))


def _at(day: date, clock_time: time, cal: Calendar) -> datetime:
    wall = clock_time.replace(tzinfo=None, fold=0)
    return datetime.combine(day, wall, cal.zone).astimezone(UTC)
