"""Pruning what would otherwise grow forever: the ids of handled Telegram updates, outbox
rows that were delivered or gave up, and the finished runs of stage entries an item has
since left. What status and history show stays: an item's current stage entry keeps all
its runs, and the stage history itself is never pruned.

Runs once a day, in short batches, each its own transaction, so no writer waits behind it
for long.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.storage.retention_repo import RetentionRepo
from rules.storage.unit import repos

log = logging.getLogger(__name__)
BATCH = 2_000
# Telegram re-delivers an update for at most a day; a week leaves room for a long outage.
UPDATES_KEPT = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Pruned:
    updates: int
    outbox: int
    runs: int


class RetentionJob:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, keep: timedelta) -> None:
        self._uow = uow
        self._clock = clock
        self._keep = keep  # RETENTION_DAYS: delivered outbox rows and past entries' runs

    def schedule(self, scheduler: AsyncIOScheduler, timezone: str) -> None:
        scheduler.add_job(self.run, CronTrigger(hour=3, minute=17, timezone=timezone),
                          id="retention", replace_existing=True, misfire_grace_time=None)

    async def run(self) -> Pruned:
        now = self._clock.now()
        pruned = Pruned(
            updates=await self._batches(RetentionRepo.prune_updates, now - UPDATES_KEPT),
            outbox=await self._batches(RetentionRepo.prune_outbox, now - self._keep),
            runs=await self._batches(RetentionRepo.prune_runs, now - self._keep),
        )
        if pruned != Pruned(0, 0, 0):
            log.info("pruned %s", pruned)
        return pruned

    async def _batches(self, prune: Callable[[RetentionRepo, datetime, int], Awaitable[int]],
                       before: datetime) -> int:
        total = 0
        while True:
            async with self._uow() as uow:
                deleted = await prune(repos(uow).retention, before, BATCH)
                await uow.commit()
            total += deleted
            if deleted < BATCH:
                return total
