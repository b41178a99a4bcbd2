"""Answers to users wait out Telegram's "too many requests, retry after N s" and go out then.

Only calls made while handling an update are retried here: the rules' outbox has its own
pacing and turns a 429 into a later attempt of its own, so its calls pass straight through.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import TelegramObject

log = logging.getLogger(__name__)
_handling_update: ContextVar[bool] = ContextVar("handling_update", default=False)


@contextmanager
def replying() -> Iterator[None]:
    """API calls made inside wait out a 429 (answers to the update being handled)."""
    token = _handling_update.set(True)
    try:
        yield
    finally:
        _handling_update.reset(token)


class HandlingUpdate(BaseMiddleware):
    """Dispatcher middleware: every handler's calls are answers to the update."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        with replying():
            return await handler(event, data)


class WaitOutFloodControl(BaseRequestMiddleware):
    """Session middleware: on 429 while replying, sleep `retry_after` and send again."""

    def __init__(self, attempts: int = 5, longest_wait: float = 60.0) -> None:
        self.attempts = attempts
        self.longest_wait = longest_wait

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        attempt = 0
        while True:
            attempt += 1
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if (not _handling_update.get() or attempt >= self.attempts
                        or error.retry_after > self.longest_wait):
                    raise
                wait = error.retry_after
            log.warning("Telegram asked to wait %s s before %s; waiting", wait,
                        method.__api_method__)
            await asyncio.sleep(wait)
