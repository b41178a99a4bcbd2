"""Long polling that confirms an update to Telegram only once it was handled.

aiogram's own polling moves the offset past an update as soon as it has read it, before
the update is handled: a process killed during the handling (or with a fetched batch still
queued) loses those updates, since Telegram never sends a confirmed update again. Here the
offset given to getUpdates is the lowest update still being handled, so a killed process
gets everything it had not finished again after the restart; the update inbox
(crm/storage/handled_updates.py) makes sure what was committed is not applied twice.

Updates are handled concurrently, as with aiogram's polling. Re-fetched updates that are
still being handled here are skipped. While a batch brings nothing new (Telegram answers
at once as long as updates below the offset stand), the loop pauses briefly before asking
again, so a slow handler costs new updates at most that pause.

Telegram answers 409 Conflict when another program polls the same bot (each call ends the
other's) or a webhook is set: polling then ends with PollingConflict instead of fighting.
One conflict alone is forgiven – the long poll of a process that just stopped may still be
open at Telegram; a second one in a row is another consumer.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from contextlib import suppress
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramConflictError
from aiogram.methods import GetUpdates
from aiogram.types import Update

from bot.telegram.flood_wait import retried_by_caller

log = logging.getLogger(__name__)
MAX_IN_FLIGHT = 100  # Telegram hands out at most 100 updates a call
NETWORK_BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)
REFETCH_PAUSE = 0.2  # while only unfinished updates come back, ask again this often
SHUTDOWN_GRACE = 10.0  # then CrmBot.close cancels what still runs
CONFLICT_PAUSE = 1.0  # after a first 409, before asking again


class PollingConflict(Exception):
    """Telegram gives this bot's updates to another consumer (409 Conflict, twice in a row)."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class ConfirmingPoller:
    def __init__(self, dp: Dispatcher, bot: Bot, timeout: int = 10) -> None:
        self._dp = dp
        self._bot = bot
        self._timeout = timeout
        self._in_flight: dict[int, asyncio.Task[Any]] = {}
        self._next_offset: int | None = None  # one past the highest update handled
        self._handled: set[int] = set()  # handled, but not yet below the offset
        self._stop = asyncio.Event()
        self._started = asyncio.Event()
        self._allowed: list[str] = []

    @property
    def offset(self) -> int | None:
        """What getUpdates confirms: everything below the lowest update still in flight."""
        if self._in_flight:
            return min(self._in_flight)
        return self._next_offset

    async def run(self, handle_signals: bool = False) -> None:
        if handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self._stop.set)
        self._allowed = self._dp.resolve_used_update_types()
        workflow = {"dispatcher": self._dp, "bots": [self._bot], **self._dp.workflow_data}
        workflow.pop("bot", None)
        await self._dp.emit_startup(bot=self._bot, **workflow)
        try:
            await self._loop()
        finally:
            await self._finish_in_flight()
            await self._dp.emit_shutdown(bot=self._bot, **workflow)

    def stop(self) -> None:
        self._stop.set()

    async def wait_started(self) -> None:
        await self._started.wait()

    async def _loop(self) -> None:
        failures = 0
        conflicts = 0
        stopping = asyncio.ensure_future(self._stop.wait())
        try:
            while not self._stop.is_set():
                fetch = asyncio.ensure_future(self._fetch())
                await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not fetch.done():
                    fetch.cancel()
                    with suppress(asyncio.CancelledError):
                        await fetch
                    break
                try:
                    updates = fetch.result()
                except TelegramConflictError as conflict:
                    conflicts += 1
                    if conflicts > 1:
                        raise PollingConflict(conflict.message) from None
                    log.warning("getUpdates: %s; again in %s s", conflict.message,
                                CONFLICT_PAUSE)
                    await self._pause(CONFLICT_PAUSE, stopping)
                    continue
                except Exception as error:  # network trouble: keep polling, a little later
                    wait = NETWORK_BACKOFF[min(failures, len(NETWORK_BACKOFF) - 1)]
                    failures += 1
                    log.warning("getUpdates failed (%s); again in %s s", error, wait)
                    await self._pause(wait, stopping)
                    continue
                failures = conflicts = 0
                self._started.set()
                fresh = [u for u in updates if self._is_new(u.update_id)]
                for update in fresh:
                    self._start(update)
                if not fresh and self._in_flight:  # Telegram answers at once: don't spin
                    await asyncio.wait({*self._in_flight.values(), stopping},
                                       timeout=REFETCH_PAUSE, return_when=asyncio.FIRST_COMPLETED)
                while len(self._in_flight) >= MAX_IN_FLIGHT and not self._stop.is_set():
                    await asyncio.wait({*self._in_flight.values(), stopping},
                                       return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()

    async def _fetch(self) -> list[Update]:
        offset = self.offset
        if offset is not None:  # confirmed by this call: Telegram forgets them
            self._handled = {done for done in self._handled if done >= offset}
        method = GetUpdates(offset=offset, timeout=self._timeout,
                            allowed_updates=self._allowed)
        timeout = int((self._bot.session.timeout or 0) + self._timeout)
        with retried_by_caller():  # _loop backs off on failure, never the session
            return await self._bot(method, request_timeout=timeout or None)

    async def _pause(self, seconds: float, stopping: asyncio.Future[Any]) -> None:
        with suppress(TimeoutError):  # not wait_for: see Leadership._try
            async with asyncio.timeout(seconds):
                await asyncio.shield(stopping)

    def _is_new(self, update_id: int) -> bool:
        return update_id not in self._in_flight and update_id not in self._handled

    def _start(self, update: Update) -> None:
        task = asyncio.create_task(self._handle(update))
        self._in_flight[update.update_id] = task

    async def _handle(self, update: Update) -> None:
        try:
            await self._dp.feed_update(self._bot, update)
        except Exception:  # the dispatcher's error handlers already answered the user
            log.exception("update %s failed", update.update_id)
        finally:
            del self._in_flight[update.update_id]
            self._handled.add(update.update_id)
            self._next_offset = max(self._next_offset or 0, update.update_id + 1)

    async def _finish_in_flight(self) -> None:
        """Updates being handled finish (their commits land) before the process stops;
        what is cut off is fetched again by the next start."""
        if self._in_flight:
            await asyncio.wait(list(self._in_flight.values()), timeout=SHUTDOWN_GRACE)
