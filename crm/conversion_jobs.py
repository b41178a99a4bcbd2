"""A lead → deal conversion job as services and screens see it, and what it counted."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass(slots=True)
class ConversionCounts:
    leads_converted: int = 0
    # Leads converted before, then reopened: closed again, linked to their deal, no new deal.
    leads_already_converted: int = 0
    contacts_created: int = 0
    companies_created: int = 0
    deals_created: int = 0
    activities_moved: int = 0
    activities_closed: int = 0

    def add(self, other: ConversionCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def leads_done(self) -> int:
        return self.leads_converted + self.leads_already_converted


COUNT_COLUMNS = tuple(f.name for f in fields(ConversionCounts))


@dataclass(slots=True)
class ConversionJob:
    id: int
    running: bool
    options: dict[str, Any]
    started_by: int | None
    started_at: datetime
    finished_at: datetime | None
    total: int
    counts: ConversionCounts = field(default_factory=ConversionCounts)


@dataclass(frozen=True, slots=True)
class ConversionSummary:
    """What a switch to simple mode converted."""

    job_id: int
    counts: ConversionCounts  # for the whole job, including before an interruption
    total: int  # open leads when the job started
    resumed: bool  # an interrupted job was continued with its original options
