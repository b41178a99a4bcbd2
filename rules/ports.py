"""How the engine speaks to the outside: a sender, a timer (and crm.clock's Clock).

`bot/` implements `Sender` with the real Bot and translates aiogram's exceptions into the
ones below; tests implement both protocols with recording fakes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: opens an item card (staff only) or a URL."""

    text: str
    item_id: int | None = None
    url: str | None = None


class Sender(Protocol):
    async def send_message(
        self, chat_id: int, html_text: str, buttons: list[list[Button]] | None = None
    ) -> int:
        """Sends a Telegram-HTML message and returns its message id."""
        ...


class Timer(Protocol):
    def connect(self, wakeup: Callable[[], Awaitable[object]]) -> None:
        """The engine hands over the coroutine the timer calls when it fires."""
        ...

    def schedule_wakeup(self, at: datetime) -> None:
        """Fire at `at` at the latest; an earlier pending wake-up is kept."""
        ...


class SendError(Exception):
    """Base of what a Sender may raise; anything else is a bug in the sender."""


class RetryAfter(SendError):
    """Telegram said 429: wait `seconds`, then the same message may be sent again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class TransientError(SendError):
    """Network trouble or a 5xx: try again later."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


PermanentCode = Literal["blocked", "chat_not_found", "other"]


class PermanentError(SendError):
    """Telegram will never accept this message (the client blocked the bot, no such chat...)."""

    def __init__(self, code: PermanentCode, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
