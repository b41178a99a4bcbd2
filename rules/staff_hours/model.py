"""A person's own working week and their absences, as data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time


@dataclass(frozen=True, slots=True)
class PersonalHours:
    """The days (Monday = 0) and the one span a day a person works, in the team's zone."""

    user_id: int
    days: frozenset[int]
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Absence:
    """Away from `first_day` to `last_day`, both included."""

    id: int
    user_id: int
    first_day: date
    last_day: date
