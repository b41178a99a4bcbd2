"""When a run is due: from the moment it may start, the rule's timing and the item's dates,
shifted into working hours when the rule asks for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from crm.models import Item
from rules.model import ITEM_DATE_FIELDS, TimeUnit, Timing, TimingMode
from rules.reason_codes import Reason

_UNITS = {TimeUnit.MINUTES: "minutes", TimeUnit.HOURS: "hours", TimeUnit.DAYS: "days"}
# Enough to cross any run of holidays; a calendar without working days fails loudly.
_SEARCH_DAYS = 400


class TimingProblem(Exception):
    """The due time cannot be computed. reason: date_field_empty | date_field_invalid."""

    def __init__(self, reason: Reason, field_name: str) -> None:
        super().__init__(f"{reason}: {field_name}")
        self.reason = reason
        self.params = {"field": field_name}


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """The office calendar in the configured time zone (Monday = 0)."""

    timezone: str = "Europe/Berlin"
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(9, 0)
    end: time = time(18, 0)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if not self.days or self.start >= self.end:
            raise ValueError("working hours need at least one day and start before end")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.days and day not in self.holidays

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` itself when it falls in working hours, else the next opening time."""
        zone = self.zone
        local = moment.astimezone(zone)
        day = local.date()
        for _ in range(_SEARCH_DAYS):
            if self.is_working_day(day):
                opening = datetime.combine(day, self.start, zone)
                closing = datetime.combine(day, self.end, zone)
                if local < opening:
                    return opening.astimezone(UTC)
                if local < closing:
                    return moment
            day += timedelta(days=1)
            local = datetime.combine(day, time(0), zone)
        raise ValueError("no working day within a year")


class Calendar(Protocol):
    """Working time of one person (rules/staff_hours): when they next work."""

    @property
    def name(self) -> str: ...

    def next_working_moment(self, moment: datetime) -> datetime: ...


def compute_due(timing: Timing, start: datetime, item: Item | None, hours: WorkingHours,
                person: Calendar | None = None) -> datetime:
    """The due moment for a run that may start at `start`. A moment already past when the
    item arrives means "at once": the run is due at `start`, never before it. `person`: the
    responsible person's calendar, for a timing in their working hours (the company's hours
    without one)."""
    offset = timedelta(**{_UNITS[timing.unit]: timing.amount})
    if timing.mode is TimingMode.DELAY:
        due = start + offset
    elif timing.mode is TimingMode.AT:
        assert timing.at is not None  # the model validates it
        due = timing.at
    elif timing.mode is TimingMode.RELATIVE:
        assert item is not None  # callers read the item for a relative timing
        base = date_field(item, timing.field or "", hours.zone)
        due = base - offset if timing.direction == "before" else base + offset
    else:
        due = start
    if timing.working_hours_only:
        due = hours.next_working_moment(due)
    if timing.responsible_hours:
        due = (person or hours).next_working_moment(due)
    return max(due, start).astimezone(UTC)


def date_field(item: Item, name: str, zone: ZoneInfo) -> datetime:
    """A date field of the item as an aware moment; a plain date means its local midnight."""
    if name in ITEM_DATE_FIELDS:
        value: object = getattr(item, name)
    else:
        value = item.custom.get(name.removeprefix("custom."))
    if value is None or value == "":
        raise TimingProblem(Reason.DATE_FIELD_EMPTY, name)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    try:
        text = str(value).strip()
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(0), zone)
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise TimingProblem(Reason.DATE_FIELD_INVALID, name) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
