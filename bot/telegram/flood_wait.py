"""The one way the bot sends within Telegram's flood control: a session middleware every
Bot call goes through, so callers (handlers, the switch runner, start-up calls) just call
the Bot.

Every call that puts a message into a chat waits for its chat's slot in the pacer that the
outbox uses as well (per chat and overall, one budget). A 429 pauses that chat alone and the
call is made again when the pause is over, however long and however often Telegram asks (a
message is never dropped because of flood control); a network error is tried again a few
times. While an update is handled, its answers also wait their turn behind the answers to
earlier updates from the same chat, so answers come in the order of the commands.

Calls made inside `retried_by_caller()` go once and straight through: their caller paced
them and retries on its own. The outbox's Telegram transport is one (a 429 or a network
error becomes a later attempt of the durable row, never a wait that holds the worker), and
polling's getUpdates, which has its own back-off.
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
_caller_retries: ContextVar[bool] = ContextVar("caller_retries", default=False)


@contextmanager
def retried_by_caller() -> Iterator[None]:
    """API calls made inside go once, unpaced, and raise what Telegram answers: the caller
    has paced them and retries on its own (the outbox, polling)."""
    token = _caller_retries.set(True)
    try:
        yield
    finally:
        _caller_retries.reset(token)


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
        token = _turn.set(turn)
        try:
            return await handler(event, data)
        finally:
            _turn.reset(token)
            self._order.leave(chat_id, turn)


def paced_chat(method: TelegramMethod[Any]) -> int | None:
    """The chat a call puts a message into, for calls Telegram's flood limits count."""
    name = method.__api_method__
    if not name.startswith(_PACED_PREFIXES) or name in _UNPACED:
        return None
    chat_id = getattr(method, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None


class FloodControl(BaseRequestMiddleware):
    """Session middleware: a call waits its chat's slot (and, answering an update, its
    turn); a 429 pauses the chat and the call goes again once the pause is over."""

    def __init__(self, pacer: Pacer, network_attempts: int = NETWORK_ATTEMPTS) -> None:
        self._pacer = pacer
        self._network_attempts = network_attempts

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        if _caller_retries.get():
            return await make_request(bot, method)
        chat_id = paced_chat(method)
        turn = _turn.get()
        if chat_id is not None and turn is not None:
            await turn.ready.wait()
        failures = 0
        while True:
            if chat_id is not None:
                await self._pacer.turn(chat_id)
            try:
                try:
                    return await make_request(bot, method)
                finally:
                    self._pacer.done(chat_id)
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

