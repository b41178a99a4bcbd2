"""When the digest goes out: each working day at the configured time, from an APScheduler
cron job (the timer). What was sent is the outbox's business: one dedupe key per person
per day, so a second firing (a restart, a catch-up) queues nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.config import EngineConfig
from rules.digest.compose import compose
from rules.direct_messages import queue_to_staff, staff_language

# A digest the bot missed (it was down at the time) is still sent within this window.
CATCH_UP = timedelta(hours=1)


class DigestJob:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, config: EngineConfig,
                 at: time | None, on_queued: Callable[[], None]) -> None:
        self._uow = uow
        self._clock = clock
        self._config = config
        self._at = at
        self._on_queued = on_queued
        self._zone = ZoneInfo(config.timezone)

    def schedule(self, scheduler: AsyncIOScheduler) -> None:
        """Every day at the digest time (working days are checked when it fires)."""
        if self._at is None:
            return
        scheduler.add_job(self.run, CronTrigger(hour=self._at.hour, minute=self._at.minute,
                                                timezone=self._zone),
                          id="digest", replace_existing=True, misfire_grace_time=None)

    async def run(self) -> int:
        """Sends today's digests when now is the digest time (or within the catch-up
        window after it) on a working day; returns how many were queued."""
        if self._at is None:
            return 0
        local = self._clock.now().astimezone(self._zone)
        start = datetime.combine(local.date(), self._at, self._zone)
        if not self._config.working_hours.is_working_day(local.date()):
            return 0
        if not start <= local < start + CATCH_UP:
            return 0
        return await self.send(local.date())

    async def send(self, day: date) -> int:
        queued = 0
        async with self._uow() as uow:
            now = self._clock.now()
            for staff in await uow.staff.list_active():
                language = staff_language(staff, self._config.default_language)
                digest = await compose(uow, staff, now, language, self._config.timezone)
                if digest.empty:
                    continue  # nothing to report: no message
                queued += await queue_to_staff(uow, f"digest:{staff.user_id}:{day.isoformat()}",
                                               staff, digest.text, digest.buttons, now)
            await uow.commit()
        if queued:
            self._on_queued()
        return queued
