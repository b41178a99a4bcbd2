"""Where leads come from and how many of them become deals and are won, by source."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm.services.report_period import require_period
from crm.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class LeadSourceRow:
    source: str | None  # None: leads created without a source
    leads: int
    converted: int  # became a deal
    won: int  # that deal is in a success stage now

    @property
    def conversion_rate(self) -> float:
        return self.converted / self.leads if self.leads else 0.0

    @property
    def win_rate(self) -> float:
        return self.won / self.leads if self.leads else 0.0


@dataclass(frozen=True, slots=True)
class LeadReport:
    period_start: datetime
    period_end: datetime
    rows: list[LeadSourceRow]  # most leads first
    total: LeadSourceRow  # source None: all sources together


class LeadReportService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def report(self, period_start: datetime, period_end: datetime) -> LeadReport:
        """Leads created in [period_start, period_end), followed to today: a lead of the
        period counts as converted and won whenever that happened."""
        require_period(period_start, period_end)
        async with self._uow(write=False) as uow:
            funnel = await uow.conversion.lead_funnel(period_start, period_end)
        rows = [LeadSourceRow(*r) for r in funnel]
        total = LeadSourceRow(
            None,
            sum(r.leads for r in rows),
            sum(r.converted for r in rows),
            sum(r.won for r in rows),
        )
        return LeadReport(period_start, period_end, rows, total)
