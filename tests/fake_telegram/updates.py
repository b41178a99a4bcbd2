"""The update queue behind getUpdates, with Telegram's offset and long-polling rules."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import TelegramError


class Signal:
    """Wakes everyone waiting for "something changed" without losing wake-ups.

    Waiters grab the current event before re-checking their condition; firing
    sets it and swaps in a fresh one, so there is no clear()/set() race.
    """

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(seconds, 0)):
                await event.wait()


@dataclass
class _Pending:
    update: dict[str, Any]
    delivered: bool = False


CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


class UpdateQueue:
    """Updates waiting for the bot.

    Confirmation follows Telegram: an update is dropped once a getUpdates call comes
    with an offset above its id. Only updates that were actually delivered are
    confirmed this way, so a test can re-push an old update_id and have it delivered
    again (that's how Telegram re-delivery looks to a bot).
    """

    def __init__(self) -> None:
        self._items: list[_Pending] = []
        self.history: dict[int, dict[str, Any]] = {}  # every update ever pushed, by id
        self._next_id = 100_001
        self.signal = Signal()
        self.stopping = False
        self.poll_count = 0
        self._poll_generation = 0

    def push(self, update: dict[str, Any]) -> int:
        if "update_id" not in update:
            update = {"update_id": self.next_id(), **update}
        self._next_id = max(self._next_id, update["update_id"] + 1)
        self.history.setdefault(update["update_id"], update)
        self._items.append(_Pending(update))
        self.signal.fire()
        update_id: int = update["update_id"]
        return update_id

    def next_id(self) -> int:
        update_id = self._next_id
        self._next_id += 1
        return update_id

    @property
    def undelivered(self) -> int:
        return sum(not item.delivered for item in self._items)

    @property
    def pending(self) -> list[dict[str, Any]]:
        return [item.update for item in self._items]

    def forget(self, update: dict[str, Any]) -> None:
        """A webhook delivery of `update` was answered 200 (tests/fake_telegram/webhook_push.py)."""
        self._items = [item for item in self._items if item.update is not update]

    def drop_all(self) -> None:
        """deleteWebhook/setWebhook with drop_pending_updates=True."""
        self._items.clear()

    def confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:  # -N: forget everything but the last N updates
            self._items = self._items[offset:]
            return
        self._items = [
            item for item in self._items
            if not (item.delivered and item.update["update_id"] < offset)
        ]

    def stop(self) -> None:
        self.stopping = True
        self.signal.fire()

    async def poll(
        self, offset: int | None, limit: int, wait_seconds: float,
        client_alive: Callable[[], bool],
    ) -> list[dict[str, Any]]:
        """One getUpdates call: confirm, then return updates, long-polling if there are none.

        A newer getUpdates call terminates a waiting one with 409, like Telegram, which
        exposes two pollers running at once. Updates handed to a client that already
        hung up are not marked delivered, so they go to the next poll instead.
        """
        self.poll_count += 1
        self._poll_generation += 1
        generation = self._poll_generation
        self.signal.fire()  # wake an older poll so it can notice it was superseded
        self.confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(0.0, min(wait_seconds, 50.0))
        while True:
            if generation != self._poll_generation:
                raise TelegramError(409, CONFLICT)
            batch = self._items[: max(1, min(limit, 100))]
            if batch or self.stopping or loop.time() >= deadline:
                break
            await self.signal.wait(deadline - loop.time())
        if not client_alive():
            return []
        for item in batch:
            item.delivered = True
        self.signal.fire()
        return [item.update for item in batch]
