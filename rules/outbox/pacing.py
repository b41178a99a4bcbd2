"""Keeping under Telegram's flood limits: about 30 messages a second overall, one a second
per chat, twenty a minute per group. Limits are in real (monotonic) time, with a margin,
so that the bot never causes a 429 rather than reacting to one.

Written here rather than taken from a rate-limit library: the per-chat rule is a minimum
spacing with sub-second precision per key plus pauses Telegram imposes, which none of the
usual libraries (aiolimiter, limits) model directly.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable


class Pacer:
    def __init__(self, per_second: float = 28.0, chat_interval: float = 1.05,
                 group_per_minute: int = 19,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._interval = 1.0 / per_second
        self._chat_interval = chat_interval
        self._group_limit = group_per_minute
        self._now = monotonic
        self._next_global = 0.0
        self._chat_free_at: dict[int, float] = {}
        self._group_sends: dict[int, deque[float]] = {}

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
        """Waits for the next global slot and books the chat's slot."""
        if chat_id is None:
            return
        now = self._now()
        slot = max(now, self._next_global)
        self._next_global = slot + self._interval
        if slot > now:
            await asyncio.sleep(slot - now)
        sent_at = self._now()
        self._chat_free_at[chat_id] = sent_at + self._chat_interval
        if chat_id < 0:
            self._group_sends.setdefault(chat_id, deque()).append(sent_at)

    def pause_chat(self, chat_id: int | None, seconds: float) -> None:
        """Telegram said to wait: nothing more goes to this chat until then."""
        if chat_id is not None:
            self._chat_free_at[chat_id] = max(self._chat_free_at.get(chat_id, 0.0),
                                              self._now() + seconds)
