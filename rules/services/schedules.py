"""Recurring copies as staff see them: the running schedules (of the items they may see),
and stopping one. A schedule also ends by itself when its item is closed as lost or when
it made all its copies (see rules.recurring.worker)."""

from __future__ import annotations

from dataclasses import dataclass

from crm.access import can_see_item, require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.models import Item, Pipeline, Staff, Stage
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.recurring.schedule import CopySchedule, ScheduleState
from rules.recurring.worker import end
from rules.storage.unit import repos


@dataclass(slots=True)
class ScheduleView:
    schedule: CopySchedule
    origin: Item
    pipeline: Pipeline | None
    stage: Stage | None


class ScheduleService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def running(self, actor: Staff, limit: int = 30) -> list[ScheduleView]:
        """Active schedules whose item `actor` may see, the next one due first."""
        async with self._uow(write=False) as uow:
            views = []
            for schedule in await repos(uow).schedules.active(limit=500):
                origin = await uow.items.get(schedule.origin_id, with_products=False)
                if origin is not None and can_see_item(actor, origin):
                    views.append(await _view(uow, schedule, origin))
                if len(views) >= limit:
                    break
            return views

    async def stop(self, actor: Staff, schedule_id: int) -> ScheduleView:
        """Ends the schedule (whoever may see its item may stop it); no copies follow."""
        async with self._uow() as uow:
            repo = repos(uow).schedules
            schedule = await repo.get(schedule_id)
            origin = await uow.items.get(schedule.origin_id, with_products=False) \
                if schedule else None
            if schedule is None or origin is None:
                raise NotFound(what=Entity.SCHEDULE, ref=schedule_id)
            require_item_access(actor, origin)
            if schedule.state is ScheduleState.ACTIVE:
                end(schedule, "stopped", self._clock.now(), actor.user_id)
                await repo.save(schedule)
            view = await _view(uow, schedule, origin)
            await uow.commit()
        return view


async def _view(uow: UnitOfWork, schedule: CopySchedule, origin: Item) -> ScheduleView:
    return ScheduleView(schedule, origin, await uow.catalog.get_pipeline(schedule.pipeline_id),
                        await uow.catalog.get_stage(schedule.stage_id))
