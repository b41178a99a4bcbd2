"""Outer middlewares on every update: drop re-deliveries, then find out who is writing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from crm.container import CrmServices

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DedupeMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        services: CrmServices = data["services"]
        if isinstance(event, Update) and not await services.inbox.first_delivery(event.update_id):
            return None
        return await handler(event, data)


class StaffMiddleware(BaseMiddleware):
    """Puts `staff` (the active staff member, or None for a client) into handler data."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        services: CrmServices = data["services"]
        user = data.get("event_from_user")
        data["staff"] = await services.staff.identify(user.id) if user else None
        return await handler(event, data)
