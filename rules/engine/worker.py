"""The run worker: executes every due run, then asks the timer to wake it at the next due
time. The database decides what is due; the timer only wakes the worker."""

from __future__ import annotations

import logging
from collections.abc import Callable

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.engine.executor import RunExecutor
from rules.ports import Timer
from rules.storage.unit import repos
from rules.wakeable import Doorbell, WakeableWorker

log = logging.getLogger(__name__)
BATCH = 200
# Runs per transaction: fewer commits and shared reads, while the database (one writer)
# is held only for a few milliseconds at a time.
PER_TRANSACTION = 25


class RunWorker(WakeableWorker):
    name = "automation-runs"

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, executor: RunExecutor,
                 timer: Timer, on_queued: Callable[[], None],
                 doorbell: Doorbell | None = None) -> None:
        super().__init__(timer, doorbell)
        self._uow = uow
        self._clock = clock
        self._executor = executor
        self._on_queued = on_queued

    async def drain(self) -> int:
        """Executes every run due now; returns how many were looked at."""
        async with self._lock:
            done: set[int] = set()
            while True:
                async with self._uow(write=False) as uow:
                    due = await repos(uow).runs.due_ids(self._clock.now(), BATCH)
                fresh = [run_id for run_id in due if run_id not in done]
                if not fresh:
                    break
                done.update(fresh)
                for start in range(0, len(fresh), PER_TRANSACTION):
                    await self._execute(fresh[start:start + PER_TRANSACTION])
            await self._schedule_next()
            return len(done)

    async def _execute(self, run_ids: list[int]) -> None:
        executed = await self._executor.execute(run_ids)
        if any(e.queued for e in executed):
            self._on_queued()

    async def _schedule_next(self) -> None:
        async with self._uow(write=False) as uow:
            next_due = await repos(uow).runs.next_due()
        if next_due is not None:
            self._timer.schedule_wakeup(next_due)

