"""The period a report covers, checked the same way for every report."""

from __future__ import annotations

from datetime import datetime

from crm.errors import InputProblem, InvalidInput


def require_period(period_start: datetime, period_end: datetime) -> None:
    """A report's period: both ends with a timezone, the end after the start."""
    if period_start.tzinfo is None or period_end.tzinfo is None:
        raise InvalidInput(field="period", value=str(period_start),
                           problem=InputProblem.NO_TIMEZONE)
    if period_end <= period_start:
        raise InvalidInput(field="period", value=str(period_end),
                           problem=InputProblem.END_BEFORE_START)
