"""Sending outside a handler's reply: wait when Telegram says "wait", and report a chat that
cannot be reached instead of failing the caller."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter

log = logging.getLogger(__name__)
T = TypeVar("T")


async def deliver(call: Callable[[], Awaitable[T]]) -> T | None:
    """Runs a Bot API call, waiting out every "retry after" (a message is never dropped
    because of flood control); None when the chat blocked the bot or the call is refused."""
    while True:
        try:
            return await call()
        except TelegramRetryAfter as error:
            log.info("flood control: waiting %s s", error.retry_after)
            await asyncio.sleep(error.retry_after)
        except (TelegramForbiddenError, TelegramBadRequest) as error:
            log.warning("not delivered: %s", error.message)
            return None
