"""One named lease as this process sees it: taken and renewed in short write units of work
(crm/storage/leases.py), and whether it is still ours right now.

Lease ends in the database are wall-clock time (other processes read them); whether this
process may still act on its lease is measured on the monotonic clock from the moment a
take began, so a jump of the wall clock or of a test's clock cannot stretch it.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from crm.process_identity import this_process
from crm.storage.leases import LeaseRepo
from crm.storage.unit_of_work import UnitOfWorkFactory

log = logging.getLogger(__name__)
T = TypeVar("T")
TTL = 5.0  # seconds a taken lease lasts unless renewed
RENEW_EVERY = 1.0  # seconds between renewals (and between tries of a process that waits)
MARGIN = 1.0  # this process stops acting on its lease this long before it ends


class Lease:
    def __init__(self, uow: UnitOfWorkFactory, name: str, ttl: float = TTL,
                 holder: str | None = None, margin: float = MARGIN) -> None:
        self.name = name
        self.holder = holder or this_process()
        self.ttl = ttl
        self._uow = uow
        self._margin = margin
        self._ends = 0.0  # monotonic: when the lease, as last taken or renewed, ends
        # When this process took the lease over from another holder: that holder's end (or
        # release), so a new leader can keep a moment's distance from its last sends.
        self.taken_over_from: datetime | None = None

    def holds(self) -> bool:
        """Whether this process may act on the lease now: its end, as last renewed, is
        still ahead by the margin."""
        return time.monotonic() < self._ends - self._margin

    async def take(self) -> bool:
        """Takes or renews the lease; False when another live holder has it."""
        began = time.monotonic()
        taken = await _outside_updates(self._take)
        self._ends = began + self.ttl if taken else 0.0
        return taken

    async def release(self) -> None:
        self._ends = 0.0
        await _outside_updates(self._release)

    async def current_holder(self) -> str | None:
        async with self._uow(write=False) as uow:
            return await uow.extension(LeaseRepo).holder(self.name, datetime.now(UTC))

    @asynccontextmanager
    async def kept(self, every: float = RENEW_EVERY) -> AsyncIterator[bool]:
        """Takes the lease and renews it in the background until the block ends, then
        releases it; yields whether it was taken (the block runs either way)."""
        taken = await self.take()
        renewing = asyncio.create_task(self._renew(every)) if taken else None
        try:
            yield taken
        finally:
            if renewing is not None:
                renewing.cancel()
                with suppress(asyncio.CancelledError):
                    await renewing
                await self.release()

    async def _renew(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                if not await self.take():
                    log.warning("lease %r was taken over by another process", self.name)
            except Exception:  # the database is busy or gone: try again on the next round
                log.exception("lease %r: renewal failed", self.name)

    async def _take(self) -> bool:
        async with self._uow() as uow:
            repo = uow.extension(LeaseRepo)
            last = await repo.last_held(self.name)
            now = datetime.now(UTC)
            taken = await repo.take(self.name, self.holder, now, timedelta(seconds=self.ttl))
            await uow.commit()
        if taken and last is not None and last[0] != self.holder:
            self.taken_over_from = min(last[1], now)
        return taken

    async def _release(self) -> None:
        async with self._uow() as uow:
            await uow.extension(LeaseRepo).release(self.name, self.holder, datetime.now(UTC))
            await uow.commit()


async def _outside_updates(work: Callable[[], Awaitable[T]]) -> T:
    """Runs `work()` in a task of an empty context: a lease's commit must not count as the
    effect of the Telegram update whose handling started the caller (handled_updates.py).
    The coroutine is made inside the task: a task cancelled before it began (the process
    stopping) leaves no coroutine behind that was never awaited."""
    return await asyncio.create_task(_awaited(work), context=contextvars.Context())


async def _awaited(work: Callable[[], Awaitable[T]]) -> T:
    return await work()
