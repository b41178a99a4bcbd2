"""Outer middlewares on every update: drop re-deliveries, find out who is writing, and keep
track of the updates being handled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from bot.telegram.arriving import arriving
from crm.container import CrmServices
from crm.storage.handled_updates import UpdateAlreadyHandled

log = logging.getLogger(__name__)
SHUTDOWN_GRACE = 10.0
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ArrivalMiddleware(BaseMiddleware):
    """Ignores an update handled before; puts `staff` (the active staff member, or None
    for a client) into handler data. The update is recorded as handled by the first
    commit of its effect (crm/storage/handled_updates.py; NameTheUpdate opened its
    handling). Its arrival was read with its dialog state as a rule (bot/telegram/
    arriving.py), else here."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # registered on dp.update
        services: CrmServices = data["services"]
        user = data.get("event_from_user")
        named = arriving()  # read with the dialog state already, as a rule
        arrival = named.arrival if named is not None else None
        if arrival is None:
            arrival = await services.inbox.arrive(event.update_id, user.id if user else None)
        if not arrival.fresh:
            return None
        data["staff"] = arrival.staff
        try:
            return await handler(event, data)
        except UpdateAlreadyHandled:  # a re-delivery raced the first delivery's commit
            return None


class UpdatesInFlight(BaseMiddleware):
    """Remembers the tasks handling updates: in webhook mode aiogram stops without waiting
    for them (the poller waits for its own, bot/polling.py), and one still answering after
    the Bot's session closed would open a new one (and leak it). Shutdown waits for them
    first (CrmBot.close). Handlers get it as `in_flight`, to start work that goes on after
    them (`start`)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._track(task)
        data["in_flight"] = self
        return await handler(event, data)

    def start(self, work: Coroutine[Any, Any, None]) -> None:
        """Runs `work` beside the update's handler (which may end first); shutdown waits for it
        as for the handlers. A failure is logged."""
        self._track(asyncio.create_task(work)).add_done_callback(_log_failure)

    def _track(self, task: asyncio.Task[Any]) -> asyncio.Task[Any]:
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def wait(self) -> None:
        """Until every update being handled is done, for at most SHUTDOWN_GRACE seconds;
        what is still running then is cancelled, so nothing uses the Bot after it closed.
        Again while they leave work behind them (`start`)."""
        until = asyncio.get_running_loop().time() + SHUTDOWN_GRACE
        while others := [task for task in self._tasks if task is not asyncio.current_task()]:
            left = until - asyncio.get_running_loop().time()
            _done, late = await asyncio.wait(others, timeout=max(left, 0.0))
            if late:
                for task in late:
                    task.cancel()
                await asyncio.wait(late)
                return


def _log_failure(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("work started by an update failed", exc_info=task.exception())
