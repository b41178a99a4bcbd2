"""Reminds the assignee of an overdue activity, once: the reminder is queued and the
activity marked reminded in one transaction (so a restart does not remind again).

Like the run worker, it is woken by the timer at the next deadline and when an activity
is added; what is overdue is always read from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from crm.clock import Clock
from crm.events import ActivityAdded
from crm.storage.sqlite.activities import ActivityRepo
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.activity_texts import activity_buttons, overdue_text
from rules.config import EngineConfig
from rules.direct_messages import queue_to_staff, staff_language
from rules.ports import Timer

log = logging.getLogger(__name__)


class ReminderWorker:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, config: EngineConfig,
                 timer: Timer, on_queued: Callable[[], None]) -> None:
        self._uow = uow
        self._clock = clock
        self._config = config
        self._timer = timer
        self._on_queued = on_queued
        self._wanted = asyncio.Event()
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        timer.connect(self._on_timer)

    def wake(self) -> None:
        self._wanted.set()

    async def _on_timer(self) -> None:
        self.wake()

    async def on_activity_added(self, event: ActivityAdded, uow: UnitOfWork) -> None:
        if event.deadline is not None:
            uow.after_commit(self.wake)  # its deadline may be the next one

    def start(self) -> None:
        """Overdue activities the bot slept through are reminded of first."""
        self._task = asyncio.create_task(self._loop(), name="activity-reminders")
        self.wake()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def drain(self) -> int:
        """Queues a reminder for every overdue activity not reminded yet; returns how many."""
        async with self._lock:
            queued = 0
            async with self._uow() as uow:
                now = self._clock.now()
                repo = uow.repo(ActivityRepo)
                for activity in await repo.overdue_unreminded(now):
                    staff = await uow.staff.get(activity.assignee_id or 0)
                    item = await uow.items.get(activity.item_id, with_products=False)
                    await repo.mark_reminded(activity.id, now)
                    if staff is None or not staff.active or item is None:
                        continue
                    lang = staff_language(staff, self._config.default_language)
                    queued += await queue_to_staff(
                        uow, f"activity:{activity.id}:overdue", staff,
                        overdue_text(activity, item, lang, self._config.timezone),
                        activity_buttons(activity.id, item.id, lang), now)
                next_deadline = await repo.next_reminder()
                await uow.commit()
            if queued:
                self._on_queued()
            if next_deadline is not None:
                self._timer.schedule_wakeup(next_deadline)
            return queued

    async def _loop(self) -> None:
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            try:
                await self.drain()
            except Exception:  # e.g. the disk is full: log, breathe, try again on next wake
                log.exception("activity reminder pass failed")
                await asyncio.sleep(1)
