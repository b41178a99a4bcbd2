"""One leader among the bot processes on one database: the process holding the lease
"leader" runs the automation's workers and cron jobs and the once-only jobs (its duties);
the others only answer Telegram's updates.

Every process tries for the lease at start (a single process leads at once) and then every
second: the leader renews it (it lasts 5 s), the others take it once it is free — at once
after a clean stop (the lease is released) or when the leader's process is gone from this
host, else when it ran out. A leader whose renewal fails, lands too late, or finds another
holder lays its duties down at once and goes on trying. `holds()` is asked before each
send, so a leader that is losing its lease stops sending even before its workers stopped.

Renewing runs in a task of its own, beside the duties: a long duty (setMyCommands for a
large team) never delays a renewal.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.cluster.lease import RENEW_EVERY, Lease

log = logging.getLogger(__name__)
NAME = "leader"
HANDOVER_PAUSE = 1.05  # seconds: a chat's spacing (rules/outbox/pacing.py chat_interval)


@dataclass(frozen=True, slots=True)
class Duty:
    name: str
    take_up: Callable[[], Awaitable[None]]
    lay_down: Callable[[], Awaitable[None]] | None = None


class Leadership:
    def __init__(self, lease: Lease, every: float = RENEW_EVERY,
                 handover_pause: float = HANDOVER_PAUSE) -> None:
        self._lease = lease
        self._every = every
        self._handover_pause = handover_pause
        self._duties: list[Duty] = []
        self._leading = False
        self._term: asyncio.Task[None] | None = None  # taking the duties up
        self._rounds: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        return self._leading

    def holds(self) -> bool:
        """Whether this process may act as the leader right now."""
        return self._leading and self._lease.holds()

    def add_duty(self, name: str, take_up: Callable[[], Awaitable[None]],
                 lay_down: Callable[[], Awaitable[None]] | None = None) -> None:
        """Taken up in the order added, on each gain; laid down in reverse, on each loss."""
        self._duties.append(Duty(name, take_up, lay_down))

    async def start(self) -> None:
        """Tries at once; when this process gains the lease, returns once its duties are
        taken up (start-up of a single process stays as it was)."""
        if await self._try():
            await self._gain()
        self._rounds = asyncio.create_task(self._keep_trying(), name="leadership")
        if self._term is not None:
            await asyncio.wait({self._term})  # renewed meanwhile; ends early if lost

    async def stop(self) -> None:
        """A clean stop: duties laid down, the lease released so another process leads at
        once."""
        if self._rounds is not None:
            self._rounds.cancel()
            with suppress(asyncio.CancelledError):
                await self._rounds
            self._rounds = None
        if self._leading:
            await self._lose()
            try:
                await self._lease.release()
            except Exception:  # it runs out by itself
                log.exception("could not release the leader lease")

    async def _keep_trying(self) -> None:
        while True:
            await asyncio.sleep(self._every)
            lapsed = self._leading and not self._lease.holds()  # e.g. the loop was blocked
            gained = await self._try()
            # a hang that began inside the take: its time ran out, and the lease with it
            lapsed = lapsed or (self._leading and not gained and not self._lease.holds())
            if self._leading and (lapsed or not gained):
                log.warning("leadership lost (%s)", "lapsed" if lapsed else "taken or failed")
                await self._lose()
            if gained and not self._leading:
                await self._gain()

    async def _try(self) -> bool:
        try:
            # asyncio.timeout, not wait_for: Python 3.11's wait_for returned the answer and
            # dropped a cancellation that came in the same turn, and stop() then waited for
            # rounds that went on for ever.
            async with asyncio.timeout(self._lease.ttl - 2 * self._every):
                return await self._lease.take()
        except Exception as error:  # busy, timed out, disk trouble: not the leader now
            log.warning("leader lease: %r", error)
            return False

    async def _gain(self) -> None:
        log.info("leading (%s)", self._lease.holder)
        self._leading = True
        self._term = asyncio.create_task(self._take_up(), name="leader-duties")

    async def _take_up(self) -> None:
        # Taken over from another process: it may have sent to a chat just before it
        # stopped, and a chat gets one message a second, whichever process sends.
        since = self._lease.taken_over_from
        if since is not None:
            self._lease.taken_over_from = None
            quiet = self._handover_pause - (datetime.now(UTC) - since).total_seconds()
            if quiet > 0:
                await asyncio.sleep(quiet)
        for duty in self._duties:
            try:
                await duty.take_up()
            except Exception:  # the others still go ahead
                log.exception("leader duty %s failed", duty.name)

    async def _lose(self) -> None:
        self._leading = False
        if self._term is not None:
            self._term.cancel()
            with suppress(asyncio.CancelledError):
                await self._term
            self._term = None
        for duty in reversed(self._duties):
            if duty.lay_down is None:
                continue
            try:
                await duty.lay_down()
            except Exception:
                log.exception("laying down %s failed", duty.name)
