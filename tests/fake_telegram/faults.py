"""Failure injection: scripted errors (``fail_next``) and Telegram-like flood limits."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import TelegramError, too_many_requests

# Methods that count against flood limits: everything that puts or changes a message
# in a chat. Chat actions, callback answers and reads are not limited by Telegram this way.
_LIMITED_PREFIXES = ("send", "edit", "copy", "forward")
_UNLIMITED = {"sendchataction"}


def is_message_method(method: str) -> bool:
    name = method.lower()
    return name.startswith(_LIMITED_PREFIXES) and name not in _UNLIMITED


@dataclass
class FailureRule:
    """Answer ``method`` with an error, ``times`` times (None = forever) - see fail_next."""

    method: str | None  # None or "*" matches every method except getUpdates
    error_code: int
    description: str | None = None
    retry_after: int | None = None
    chat_id: int | str | None = None
    times: int | None = 1
    hits: int = 0

    def matches(self, method: str, chat_id: object) -> bool:
        if self.times is not None and self.hits >= self.times:
            return False
        if self.method in (None, "*"):
            if method.lower() == "getupdates":  # breaking polling must be asked for by name
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)

    def fire(self) -> TelegramError:
        self.hits += 1
        return TelegramError(self.error_code, self.description, retry_after=self.retry_after)

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.hits >= self.times

    def cancel(self) -> None:
        self.times = self.hits


class _Window:
    """Sliding window: at most ``limit`` accepted events per ``seconds``."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.stamps: deque[float] = deque()

    def retry_after(self, now: float) -> int | None:
        while self.stamps and self.stamps[0] <= now - self.seconds:
            self.stamps.popleft()
        if len(self.stamps) < self.limit:
            return None
        return max(1, math.ceil(self.stamps[0] + self.seconds - now))


class RateLimiter:
    """Answers 429 like Telegram when the bot sends too fast.

    Only accepted requests enter the windows, so a bot that honours retry_after
    gets through once the window has slid past.
    """

    def __init__(
        self,
        per_second: int | None = 30,
        per_chat_per_second: int | None = 1,
        per_group_per_minute: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self.per_chat_per_second = per_chat_per_second
        self.per_group_per_minute = per_group_per_minute
        self.clock = clock
        self.limited_count = 0
        self._global = _Window(per_second, 1.0) if per_second else None
        self._chats: dict[object, _Window] = {}
        self._groups: dict[object, _Window] = {}

    def check(self, method: str, chat_id: object, is_group: bool) -> TelegramError | None:
        """Return the 429 to answer with, or record the request and return None."""
        if not is_message_method(method):
            return None
        now = self.clock()
        windows = [w for w in self._windows_for(chat_id, is_group) if w is not None]
        waits = [wait for w in windows if (wait := w.retry_after(now)) is not None]
        if waits:
            self.limited_count += 1
            return too_many_requests(max(waits))
        for window in windows:
            window.stamps.append(now)
        return None

    def _windows_for(self, chat_id: object, is_group: bool) -> list[_Window | None]:
        windows = [self._global]
        if chat_id is None:
            return windows
        if self.per_chat_per_second:
            windows.append(self._chats.setdefault(chat_id, _Window(self.per_chat_per_second, 1.0)))
        if is_group and self.per_group_per_minute:
            windows.append(
                self._groups.setdefault(chat_id, _Window(self.per_group_per_minute, 60.0))
            )
        return windows


@dataclass
class ReplyHold:
    """Telegram has done the call (the message is sent) but its reply is held back until
    ``release()``: a bot killed meanwhile never learns that its message went out."""

    method: str
    chat_id: int | str | None = None
    held: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def matches(self, method: str, chat_id: object) -> bool:
        return self.method.lower() == method.lower() and (
            self.chat_id is None or str(self.chat_id) == str(chat_id))

    def release(self) -> None:
        self.released.set()
