"""Outer middlewares on every update: drop re-deliveries, find out who is writing, and keep
track of the updates being handled."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from crm.container import CrmServices
from crm.storage.handled_updates import UpdateAlreadyHandled, handling_update

SHUTDOWN_GRACE = 10.0
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ArrivalMiddleware(BaseMiddleware):
    """Ignores an update handled before; puts `staff` (the active staff member, or None
    for a client) into handler data. The update is recorded as handled by the first
    commit of its effect (crm/storage/handled_updates.py)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # registered on dp.update
        services: CrmServices = data["services"]
        user = data.get("event_from_user")
        arrival = await services.inbox.arrive(event.update_id, user.id if user else None)
        if not arrival.fresh:
            return None
        data["staff"] = arrival.staff
        with handling_update(event.update_id, services.clock.now()):
            try:
                return await handler(event, data)
            except UpdateAlreadyHandled:  # a re-delivery raced the first delivery's commit
                return None


class UpdatesInFlight(BaseMiddleware):
    """Remembers the tasks handling updates: in webhook mode aiogram stops without waiting
    for them (the poller waits for its own, bot/polling.py), and one still answering after
    the Bot's session closed would open a new one (and leak it). Shutdown waits for them
    first (CrmBot.close)."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        task = asyncio.current_task()
        if task is not None and task not in self._tasks:
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await handler(event, data)

    async def wait(self) -> None:
        """Until every update being handled is done, for at most SHUTDOWN_GRACE seconds;
        what is still running then is cancelled, so nothing uses the Bot after it closed."""
        others = [task for task in self._tasks if task is not asyncio.current_task()]
        if not others:
            return
        _done, late = await asyncio.wait(others, timeout=SHUTDOWN_GRACE)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)
