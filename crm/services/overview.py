"""The pipeline overview: per stage of a pipeline its open items, how many and their sum
(per currency), and the totals of an item list. Read-only; see ReportRepo for the SQL."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from crm.errors import Entity, NotFound
from crm.models import Pipeline, Staff, Stage
from crm.queries import ItemQuery
from crm.storage.codec import from_minor
from crm.storage.repos.reports import ReportRepo
from crm.storage.unit_of_work import UnitOfWorkFactory


@dataclass(slots=True)
class Totals:
    """How many items and their amounts per currency (items without an amount are
    counted, not summed)."""

    count: int = 0
    sums: dict[str, Decimal] = field(default_factory=dict)

    def add(self, currency: str, count: int, amount_minor: int | None) -> None:
        self.count += count
        amount = from_minor(amount_minor)
        if amount is not None:
            self.sums[currency] = self.sums.get(currency, Decimal(0)) + amount


@dataclass(frozen=True, slots=True)
class StageTotals:
    stage: Stage
    totals: Totals


@dataclass(frozen=True, slots=True)
class PipelineOverview:
    pipeline: Pipeline
    team: bool  # everybody's open items; else the viewer's own
    stages: list[StageTotals]  # the pipeline's open (progress) stages, in order
    total: Totals


class OverviewService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def pipeline(self, actor: Staff, pipeline_id: int, team: bool) -> PipelineOverview:
        """The open items of a pipeline per stage: the actor's own, or the team's (only for
        those who see all items; anybody else gets their own)."""
        team = team and actor.sees_all_items
        async with self._uow(write=False) as uow:
            pipeline = await uow.catalog.get_pipeline(pipeline_id)
            if pipeline is None:
                raise NotFound(what=Entity.PIPELINE, ref=pipeline_id)
            stages = await uow.catalog.list_stages(pipeline_id)
            rows = await uow.extension(ReportRepo).open_by_stage(
                pipeline_id, None if team else actor.user_id)
        per_stage: dict[int, Totals] = defaultdict(Totals)
        total = Totals()
        for row in rows:
            per_stage[row.stage_id].add(row.currency, row.count, row.amount_minor)
            total.add(row.currency, row.count, row.amount_minor)
        shown = [StageTotals(s, per_stage[s.id]) for s in stages
                 if not s.is_final or per_stage[s.id].count]
        return PipelineOverview(pipeline, team, shown, total)

    async def list_totals(self, actor: Staff, query: ItemQuery) -> Totals:
        """Count and sums of the items a list shows to `actor` (as ItemService.page reads
        them); counted up to COUNT_CAP items per range (callers show sums below it only)."""
        if not actor.sees_all_items:
            query.visible_to = actor.user_id
        async with self._uow(write=False) as uow:
            rows = await uow.extension(ReportRepo).list_totals(query)
        totals = Totals()
        for currency, count, amount in rows:
            totals.add(currency, count, amount)
        return totals
