"""How the engine speaks to the outside: transports, a timer (and crm.clock's Clock).

`bot/` implements the Telegram transport with the real Bot and translates aiogram's
exceptions into the ones below; tests use it against the fake Bot API server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from rules.reason_codes import Reason

if TYPE_CHECKING:
    from rules.model import OutboxRow


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: opens an item card (staff only) or a URL; marks an activity done
    (its assignee); or a client's button (a random token naming a client_buttons row)."""

    text: str
    item_id: int | None = None
    url: str | None = None
    activity_id: int | None = None
    client_token: int | None = None
    snooze: str | None = None  # with activity_id: "hour" (+1 h) or "morning" (next working day)


class Transport(Protocol):
    """Delivers outbox rows of one channel (telegram, email, webhook)."""

    async def deliver(self, row: OutboxRow) -> int | None:
        """Delivers the row; returns the message id where the channel has one.
        Raises RetryAfter, TransientError or PermanentError."""
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


class PermanentError(SendError):
    """The message will never be accepted. `code` becomes the run's failure reason:
    blocked, chat_not_found, send_rejected (Telegram), or a transport's own."""

    def __init__(self, code: Reason, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
