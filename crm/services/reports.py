"""The sales report of one pipeline and period: the funnel (items per stage reached,
conversion between consecutive stages), the win rate, the average days in each stage and
the lost reasons — for the team and per salesperson (by the items' responsible person).

Definitions (the issue left them open):
- an item *reached* a progress stage in the period when it entered that stage or a later
  one in the period, or was won in it; so the funnel never widens from stage to stage;
- *won*: entered a success stage in the period; *lost*: entered a failure stage and was
  not won; the win rate is won / (won + lost);
- *days in a stage*: stays that ended in the period (the item left the stage then);
- lost reasons: of the items lost in the period that are still in a failure stage, most
  frequent first."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from crm.errors import Entity, NotFound
from crm.models import Pipeline, Staff, Stage
from crm.services.report_period import require_period
from crm.storage.repos.reports import ReachedRow, ReportRepo, StayRow
from crm.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class StageFigures:
    stage: Stage
    reached: int
    conversion: float | None  # reached here / reached at the stage before; None: first
    average_days: float | None  # None: no stay in it ended in the period


@dataclass(frozen=True, slots=True)
class SalesFigures:
    """The figures of one salesperson (`person`), or of the team (`person` None)."""

    person: Staff | None
    stages: list[StageFigures]
    won: int
    lost: int

    @property
    def closed(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        return self.won / self.closed if self.closed else None

    @property
    def empty(self) -> bool:
        return not self.closed and not any(s.reached or s.average_days is not None
                                           for s in self.stages)


@dataclass(frozen=True, slots=True)
class SalesReport:
    pipeline: Pipeline
    period_start: datetime
    period_end: datetime
    team: SalesFigures
    people: list[SalesFigures]  # each salesperson with figures (only the viewer for sales)
    lost_reasons: list[tuple[str, int]] = field(default_factory=list)


def _figures(person: Staff | None, stages: list[Stage], reached: list[ReachedRow],
             stays: list[StayRow]) -> SalesFigures:
    progress = [s for s in stages if not s.is_final]
    counts = []
    for stage in progress:
        counts.append(sum(r.items for r in reached
                          if r.won or (r.furthest is not None and r.furthest >= stage.position)))
    days: dict[int, list[float]] = defaultdict(lambda: [0, 0.0])
    for stay in stays:
        days[stay.stage_id][0] += stay.stays
        days[stay.stage_id][1] += stay.days
    figures = []
    for index, stage in enumerate(progress):
        previous = counts[index - 1] if index else None
        conversion = (counts[index] / previous if previous else None) if index else None
        stays_of, total_days = days.get(stage.id, [0, 0.0])
        figures.append(StageFigures(stage, counts[index], conversion,
                                    total_days / stays_of if stays_of else None))
    return SalesFigures(person, figures, sum(r.items for r in reached if r.won),
                        sum(r.items for r in reached if r.lost))


class SalesReportService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def report(self, actor: Staff, pipeline_id: int, period_start: datetime,
                     period_end: datetime) -> SalesReport:
        """The report of [period_start, period_end): the team's figures, and each
        salesperson's for managers and admins (a salesperson gets their own)."""
        require_period(period_start, period_end)
        async with self._uow(write=False) as uow:
            pipeline = await uow.catalog.get_pipeline(pipeline_id)
            if pipeline is None:
                raise NotFound(what=Entity.PIPELINE, ref=pipeline_id)
            stages = await uow.catalog.list_stages(pipeline_id)
            repo = uow.extension(ReportRepo)
            reached = await repo.reached(pipeline_id, period_start, period_end)
            stays = await repo.stays(pipeline_id, period_start, period_end)
            reasons = await repo.lost_reasons(pipeline_id, period_start, period_end)
            staff = {s.user_id: s for s in await uow.staff.list_active()}
        team = _figures(None, stages, reached, stays)
        owners = {r.owner_id for r in reached} | {s.owner_id for s in stays}
        if not actor.sees_all_items:
            owners = {actor.user_id}
        people = []
        for owner in sorted(o for o in owners if o is not None):
            person = staff.get(owner) or (actor if owner == actor.user_id else None)
            if person is None:
                continue  # no longer on the team: counted in the team's figures
            people.append(_figures(person, stages,
                                   [r for r in reached if r.owner_id == owner],
                                   [s for s in stays if s.owner_id == owner]))
        people.sort(key=lambda f: (f.person.name.casefold() if f.person else ""))
        return SalesReport(pipeline, period_start, period_end, team, people, reasons)
