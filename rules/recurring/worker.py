"""The schedule worker: makes the copies that are due, then asks the timer to wake it at the
next due time. As for rule runs, the database decides what is due; APScheduler only wakes.

Catching up: a schedule whose occurrences fell due while the bot was down makes one copy
(for the latest of them), not one per missed period, and continues with the first
occurrence after now. At fire time everything is read afresh: an origin closed as lost
ends its schedule instead of being copied.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from crm.clock import Clock
from crm.errors import AppError
from crm.events import ItemEnteredStage
from crm.models import Item, StageKind
from crm.services.copies import copy_item
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.config import EngineConfig
from rules.context import load_subject
from rules.engine.planner import automation_cause
from rules.errors import TemplateProblem
from rules.kinds.values import render_plain
from rules.ports import Timer
from rules.recurring.schedule import (
    Calendar,
    CopySchedule,
    CopyScheduled,
    ScheduleState,
    next_after,
    occurrence_at,
)
from rules.rendering import Renderer
from rules.storage.unit import repos
from rules.wakeable import WakeableWorker

log = logging.getLogger(__name__)
BATCH = 100


def end(schedule: CopySchedule, reason: str, at: datetime, by: int | None = None) -> None:
    schedule.state, schedule.end_reason = ScheduleState.ENDED, reason
    schedule.next_due_at, schedule.ended_at, schedule.ended_by = None, at, by


class ScheduleWorker(WakeableWorker):
    name = "recurring-copies"

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, renderer: Renderer,
                 config: EngineConfig, timer: Timer) -> None:
        super().__init__(timer)
        self._uow = uow
        self._clock = clock
        self._renderer = renderer
        self._config = config
        self._calendar = Calendar(ZoneInfo(config.timezone), config.working_hours.start)

    async def on_scheduled(self, event: CopyScheduled, uow: UnitOfWork) -> None:
        uow.after_commit(self.wake)  # the timer learns the new schedule's first due time

    async def on_item_entered_stage(self, event: ItemEnteredStage, uow: UnitOfWork) -> None:
        """An item closed as lost ends its schedules, in the move's transaction."""
        stage = await uow.catalog.get_stage(event.to_stage_id)
        if stage is None or stage.kind is not StageKind.FAILURE:
            return
        repo = repos(uow).schedules
        for schedule in await repo.active_for(event.item_id):
            end(schedule, "lost", event.at, event.by_user_id)
            await repo.save(schedule)

    async def drain(self) -> int:
        """Makes every copy due now; returns how many schedules fired."""
        async with self._lock:
            done: set[int] = set()
            while True:
                async with self._uow(write=False) as uow:
                    due = await repos(uow).schedules.due_ids(self._clock.now(), BATCH)
                fresh = [s for s in due if s not in done]
                if not fresh:
                    break
                for schedule_id in fresh:
                    done.add(schedule_id)
                    try:
                        await self.fire(schedule_id)
                    except Exception:  # one broken schedule must not stop the others
                        log.exception("copy schedule %s failed", schedule_id)
                        await self._give_up(schedule_id)
            async with self._uow(write=False) as uow:
                next_due = await repos(uow).schedules.next_due()
            if next_due is not None:
                self._timer.schedule_wakeup(next_due)
            return len(done)

    async def fire(self, schedule_id: int) -> int | None:
        """Makes the due copy of one schedule; returns the copy's id, if one was made."""
        async with self._uow() as uow:
            repo = repos(uow).schedules
            schedule = await repo.get(schedule_id)
            now = self._clock.now()
            if (schedule is None or schedule.state is not ScheduleState.ACTIVE
                    or schedule.next_due_at is None or schedule.next_due_at > now):
                return None
            origin = await uow.items.get(schedule.origin_id)
            stage = await uow.catalog.get_stage(origin.stage_id) if origin else None
            copy_id = None
            if origin is None or stage is None:
                end(schedule, "origin_gone", now)
            elif stage.kind is StageKind.FAILURE:
                end(schedule, "lost", now)
            else:
                copy_id = await self._copy(uow, schedule, origin)
            await repo.save(schedule)
            await uow.commit()
        return copy_id

    async def _give_up(self, schedule_id: int) -> None:
        """After a bug rolled its transaction back: the schedule must not stay due (the timer
        would wake the worker for it again and again)."""
        async with self._uow() as uow:
            repo = repos(uow).schedules
            schedule = await repo.get(schedule_id)
            if schedule is not None and schedule.state is ScheduleState.ACTIVE:
                end(schedule, "failed", self._clock.now())
                await repo.save(schedule)
            await uow.commit()

    async def _copy(self, uow: UnitOfWork, schedule: CopySchedule, origin: Item) -> int | None:
        now = self._clock.now()
        latest = schedule.occurrence  # the latest occurrence that fell due: one copy for all
        while occurrence_at(schedule, latest + 1, self._calendar) <= now:
            latest += 1
        cause = automation_cause(schedule.run_id) if schedule.run_id else None
        try:
            async with uow.savepoint("copy"):
                copy = await copy_item(uow, origin, schedule.stage_id, now,
                                     title=await self._title(uow, schedule, origin),
                                     cause=cause, schedule_id=schedule.id, occurrence=latest)
        except AppError as error:  # the target is gone, leads are off, the loop guard...
            log.warning("copy schedule %s ended: %s", schedule.id, error)
            end(schedule, "failed", now)
            return None
        if latest > schedule.occurrence:
            log.info("copy schedule %s caught up: one copy for occurrences %s-%s",
                     schedule.id, schedule.occurrence, latest)
        schedule.copies += 1 if copy else 0
        schedule.occurrence = latest + 1
        schedule.occurrence, schedule.next_due_at = next_after(schedule, now, self._calendar)
        if schedule.max_copies is not None and schedule.copies >= schedule.max_copies:
            end(schedule, "done", now)
        return copy.id if copy else None

    async def _title(self, uow: UnitOfWork, schedule: CopySchedule, origin: Item) -> str | None:
        if not schedule.title:
            return None
        subject = await load_subject(uow, origin)
        context = self._renderer.context(subject, self._config.default_language,
                                         self._clock.now())
        try:
            return await render_plain(self._renderer, schedule.title, context)
        except TemplateProblem as problem:  # checked when saved; a missing custom field...
            log.warning("copy schedule %s: title %s; the origin's title is used",
                        schedule.id, problem.describe())
            return None

