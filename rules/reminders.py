"""Reminds the assignee of an overdue activity, once per deadline: the reminder is queued
and the activity marked reminded (`reminded_at`) in one transaction (so a restart does not
remind again). Snoozing sets a new deadline and clears `reminded_at`, so it reminds again
then; the reminder's buttons snooze it by an hour or to the next working morning.

Like the run worker, it is woken by the timer at the next deadline and when an activity
is added; what is overdue is always read from the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from crm.clock import Clock
from crm.events import ActivityAdded, ActivityRescheduled
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.activity_texts import overdue_text, reminder_buttons
from rules.config import EngineConfig
from rules.direct_messages import queue_to_staff, staff_language
from rules.moment_text import next_working_morning
from rules.ports import Timer
from rules.wakeable import WakeableWorker

log = logging.getLogger(__name__)


class ReminderWorker(WakeableWorker):
    name = "activity-reminders"

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, config: EngineConfig,
                 timer: Timer, on_queued: Callable[[], None]) -> None:
        super().__init__(timer)
        self._uow = uow
        self._clock = clock
        self._config = config
        self._on_queued = on_queued

    async def on_activity_added(self, event: ActivityAdded, uow: UnitOfWork) -> None:
        if event.deadline is not None:
            uow.after_commit(self.wake)  # its deadline may be the next one

    async def on_activity_rescheduled(self, event: ActivityRescheduled, uow: UnitOfWork
                                      ) -> None:
        uow.after_commit(self.wake)  # snoozed: it reminds again at its new deadline

    async def drain(self) -> int:
        """Queues a reminder for every overdue activity not reminded yet; returns how many."""
        async with self._lock:
            queued = 0
            async with self._uow() as uow:
                now = self._clock.now()
                repo = uow.activities
                morning = next_working_morning(now, self._config.working_hours)
                for activity in await repo.overdue_unreminded(now):
                    staff = await uow.staff.get(activity.assignee_id or 0)
                    item = await uow.items.get(activity.item_id, with_products=False)
                    await repo.mark_reminded(activity.id, now)
                    if staff is None or not staff.active or item is None:
                        continue
                    lang = staff_language(staff, self._config.default_language)
                    assert activity.deadline is not None  # overdue ones have one
                    # once per deadline: a snoozed activity reminds again at its new one
                    key = f"activity:{activity.id}:overdue:{int(activity.deadline.timestamp())}"
                    queued += await queue_to_staff(
                        uow, key, staff,
                        overdue_text(activity, item, lang, self._config.timezone, now),
                        reminder_buttons(activity.id, item.id, lang, now, morning,
                                         self._config.timezone), now)
                next_deadline = await repo.next_reminder()
                await uow.commit()
            if queued:
                self._on_queued()
            if next_deadline is not None:
                self._timer.schedule_wakeup(next_deadline)
            return queued

