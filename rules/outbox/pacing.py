"""Keeping under Telegram's flood limits: about 30 messages a second overall, one a second
per chat, twenty a minute per group. Limits are in real (monotonic) time, with a margin,
so that the bot never causes a 429 rather than reacting to one.

One pacer is shared by everything that sends: the outbox asks `chat_wait` and skips a chat
that must wait (it never sleeps for one chat); every other call (answers to updates, the
bot's own messages) queues with `turn` in the session's flood control
(bot/telegram/flood_wait.py), first come first served per chat. Both book the same slots,
so together they stay in budget.

Written here rather than taken from a rate-limit library: the per-chat rule is a minimum
spacing with sub-second precision per key plus pauses Telegram imposes, which none of the
usual libraries (aiolimiter, limits) model directly.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

OPEN_POLL = 0.02  # seconds between looks while every counted send is still open


@dataclass(slots=True)
class _Line:
    """The callers waiting for one chat, served in the order they came (asyncio's lock)."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class Pacer:
    def __init__(self, per_second: float = 28.0, chat_interval: float = 1.05,
                 group_per_minute: int = 19,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[object]] = asyncio.sleep) -> None:
        self._interval = 1.0 / per_second
        # Evenly spaced slots still bunch: when the event loop was held up (several sleepers
        # wake together), and on the way (a send that waited for its connection arrives
        # with the next ones). So the sends are also counted from their start until
        # `done()`: a send starts only while fewer than `per_second` were open or ended
        # within the last second, and then no second at Telegram's end can see more.
        self._per_window = max(int(per_second), 1) if per_second < 1e6 else None
        self._open = 0
        self._ended: deque[float] = deque()
        self._chat_interval = chat_interval
        self._group_limit = group_per_minute
        self._now = monotonic
        self._sleep = sleep
        self._next_global = 0.0
        self._chat_free_at: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}
        self._lines: dict[int, _Line] = {}

    def chat_wait(self, chat_id: int | None) -> float:
        """Seconds until `chat_id` may receive another message (0: now)."""
        if chat_id is None:
            return 0.0
        now = self._now()
        wait = self._chat_free_at.get(chat_id, 0.0) - now
        sends = self._group_sends.get(chat_id)
        if chat_id < 0 and sends is not None:
            while sends and sends[0] <= now - 60:
                sends.popleft()
            if len(sends) >= self._group_limit:
                wait = max(wait, sends[0] + 60 - now)
        return max(wait, 0.0)

    async def take(self, chat_id: int | None) -> None:
        """Books the chat's and the next global slot at once, then waits for the global one.
        The caller has checked `chat_wait` (the outbox) or waited its `turn`."""
        if chat_id is None:
            return
        now = self._now()
        slot = max(now, self._next_global)
        self._next_global = slot + self._interval
        self._chat_free_at[chat_id] = slot + self._chat_interval
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(slot)
        if slot > now:
            await self._sleep(slot - now)
        await self._within_the_second()

    async def _within_the_second(self) -> None:
        """Waits while `_per_window` sends are open or ended within the last second, then
        counts this one as open (no await between the check and the count)."""
        if self._per_window is None:
            return
        while True:
            now = self._now()
            while self._ended and self._ended[0] <= now - 1.0:
                self._ended.popleft()
            if self._open + len(self._ended) < self._per_window:
                self._open += 1
                return
            await self._sleep(self._ended[0] + 1.0 - now if self._ended else OPEN_POLL)

    def done(self, chat_id: int | None) -> None:
        """A send that `take` (or `turn`) let start has ended, answered or not. The chat's
        next send starts a full spacing after this one ended, not only after it started: a
        message reaches the chat when its request ends, and a document's upload may take
        most of a second (a PDF and then a message had reached one client 0.7 s apart)."""
        if chat_id is None:
            return
        self._chat_free_at[chat_id] = max(self._chat_free_at.get(chat_id, 0.0),
                                          self._now() + self._chat_interval)
        if self._per_window is None:
            return
        self._open = max(self._open - 1, 0)
        self._ended.append(self._now())

    async def turn(self, chat_id: int) -> None:
        """Waits until `chat_id` may receive a message and books it; callers for one chat
        get their turns in the order they asked."""
        line = self._lines.setdefault(chat_id, _Line())
        line.waiting += 1
        try:
            async with line.lock:
                while (wait := self.chat_wait(chat_id)) > 0:
                    await self._sleep(wait)
                await self.take(chat_id)
        finally:
            line.waiting -= 1
            if not line.waiting:
                del self._lines[chat_id]

    async def wait(self, seconds: float) -> None:
        """Sleeps on the pacer's time (tests inject it)."""
        await self._sleep(seconds)

    def pause_chat(self, chat_id: int | None, seconds: float) -> None:
        """Telegram said to wait: nothing more goes to this chat until then."""
        if chat_id is not None:
            self._chat_free_at[chat_id] = max(self._chat_free_at.get(chat_id, 0.0),
                                              self._now() + seconds)
