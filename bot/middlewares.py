"""The outer middleware on every update: drop re-deliveries, find out who is writing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from crm.container import CrmServices

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class ArrivalMiddleware(BaseMiddleware):
    """Ignores an update delivered before; puts `staff` (the active staff member, or None
    for a client) into handler data."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # registered on dp.update
        services: CrmServices = data["services"]
        user = data.get("event_from_user")
        arrival = await services.inbox.arrive(event.update_id, user.id if user else None)
        if not arrival.fresh:
            return None
        data["staff"] = arrival.staff
        return await handler(event, data)
