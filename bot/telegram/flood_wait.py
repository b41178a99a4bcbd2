"""Answers to users go out in order, within Telegram's flood limits, and are never dropped
while Telegram says "wait".

While an update is handled, every call that puts a message into a chat waits its turn:
first behind the answers to earlier updates from the same chat (answers come in the order
of the commands), then for the target chat's slot in the pacer that the outbox uses as
well (per chat and overall, one budget). A 429 pauses that chat alone and the call is made
again when the pause is over, however often Telegram asks; a network error is tried again
a few times. Calls made outside an update pass straight through: the outbox paces itself
with the same pacer and turns a 429 into a later attempt of its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject

from rules.outbox.pacing import Pacer

log = logging.getLogger(__name__)
_PACED_PREFIXES = ("send", "edit", "copy", "forward")  # what Telegram's flood limits count
_UNPACED = {"sendChatAction"}
NETWORK_ATTEMPTS = 3


class Turn:
    """An update's place among the updates from its chat: `ready` once all before it are
    done, or once it is done itself (a task it started may still answer)."""

    def __init__(self, ready: bool) -> None:
        self.ready = asyncio.Event()
        if ready:
            self.ready.set()


class ReplyOrder:
    """Per chat, the updates being handled in the order they arrived."""

    def __init__(self) -> None:
        self._lines: dict[int, deque[Turn]] = {}

    def enter(self, chat_id: int | None) -> Turn:
        if chat_id is None:
            return Turn(ready=True)
        line = self._lines.setdefault(chat_id, deque())
        turn = Turn(ready=not line)
        line.append(turn)
        return turn

    def leave(self, chat_id: int | None, turn: Turn) -> None:
        turn.ready.set()
        line = self._lines.get(chat_id) if chat_id is not None else None
        if chat_id is None or line is None:
            return
        line.remove(turn)
        if line:
            line[0].ready.set()
        else:
            del self._lines[chat_id]


_turn: ContextVar[Turn | None] = ContextVar("reply_turn", default=None)


@contextmanager
def replying(turn: Turn | None = None) -> Iterator[None]:
    """API calls made inside are answers: paced, in turn, and a 429 is waited out."""
    token = _turn.set(turn or Turn(ready=True))
    try:
        yield
    finally:
        _turn.reset(token)


class HandlingUpdate(BaseMiddleware):
    """Dispatcher middleware: every handler's calls are answers to the update, in the
    order the updates from its chat arrived."""

    def __init__(self, order: ReplyOrder) -> None:
        self._order = order

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = data.get("event_chat")
        chat_id = chat.id if chat is not None else None
        turn = self._order.enter(chat_id)
        try:
            with replying(turn):
                return await handler(event, data)
        finally:
            self._order.leave(chat_id, turn)


def paced_chat(method: TelegramMethod[Any]) -> int | None:
    """The chat a call puts a message into, for calls Telegram's flood limits count."""
    name = method.__api_method__
    if not name.startswith(_PACED_PREFIXES) or name in _UNPACED:
        return None
    chat_id = getattr(method, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None


class PacedReplies(BaseRequestMiddleware):
    """Session middleware: answers wait their turn and their chat's slot; a 429 pauses
    the chat and the answer goes again once the pause is over."""

    def __init__(self, pacer: Pacer, network_attempts: int = NETWORK_ATTEMPTS) -> None:
        self._pacer = pacer
        self._network_attempts = network_attempts

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        turn = _turn.get()
        if turn is None:
            return await make_request(bot, method)
        chat_id = paced_chat(method)
        if chat_id is not None:
            await turn.ready.wait()
        failures = 0
        while True:
            if chat_id is not None:
                await self._pacer.turn(chat_id)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                log.warning("Telegram asked to wait %s s before %s to %s; waiting",
                            error.retry_after, method.__api_method__, chat_id)
                if chat_id is None:
                    await self._pacer.wait(error.retry_after)
                self._pacer.pause_chat(chat_id, error.retry_after)
            except TelegramNetworkError:
                failures += 1
                if failures >= self._network_attempts:
                    raise
                await self._pacer.wait(float(failures))
