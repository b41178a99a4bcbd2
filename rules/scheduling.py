"""The timer behind the workers: APScheduler (memory job store), one date job per worker.

APScheduler only wakes a worker; what is due is always read from the database, so the
jobs hold nothing worth keeping and are rebuilt at start-up by the workers' first pass.
Times come from the engine's clock: a job fires after (at - clock.now()) of real time,
so a clock that tests move stays consistent with the timer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from crm.clock import Clock


class SchedulerTimer:
    def __init__(self, scheduler: AsyncIOScheduler, job_id: str, clock: Clock) -> None:
        self._scheduler = scheduler
        self._job_id = job_id
        self._clock = clock
        self._wakeup: Callable[[], Awaitable[object]] | None = None
        self._planned: datetime | None = None  # real time the job will fire at

    def connect(self, wakeup: Callable[[], Awaitable[object]]) -> None:
        self._wakeup = wakeup

    def schedule_wakeup(self, at: datetime) -> None:
        """Fires at `at` at the latest: an earlier wake-up already planned is kept."""
        delay = max((at - self._clock.now()).total_seconds(), 0.0)
        wall_now = datetime.now(UTC)
        run_date = wall_now + timedelta(seconds=delay)
        if self._planned is not None and wall_now < self._planned <= run_date:
            return
        self._planned = run_date
        self._scheduler.add_job(self._fire, "date", run_date=run_date, id=self._job_id,
                                replace_existing=True, misfire_grace_time=None)

    async def _fire(self) -> None:
        self._planned = None
        if self._wakeup is not None:
            await self._wakeup()


def build_scheduler() -> AsyncIOScheduler:
    return AsyncIOScheduler(timezone=UTC, job_defaults={"coalesce": True,
                                                        "misfire_grace_time": None})
