"""The update being handled, named before aiogram's FSM reads its sender's dialog state.

Every update reads two things first: its dialog state (the FSM middleware, inside the
user's lock) and its arrival — handled before? who sent it? (ArrivalMiddleware). Named
here, first of the Dispatcher's middlewares, the update lets the database's dialog storage
read both in one unit of work (UpdateInbox.arrive_with: on PostgreSQL one round trip), and
ArrivalMiddleware takes the arrival from here. The units of work of its handling record it
(crm/storage/handled_updates.py) from here on, the arrival's reads included.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update

from crm.container import CrmServices
from crm.services.inbox import Arrival
from crm.storage.handled_updates import handling_update


@dataclass(slots=True)
class Arriving:
    update_id: int
    user_id: int | None
    arrival: Arrival | None = None  # once read (with the dialog state, or by itself)


_arriving: ContextVar[Arriving | None] = ContextVar("arriving_update", default=None)


def arriving() -> Arriving | None:
    """The update being handled in this task, if a middleware named it."""
    return _arriving.get()


class NameTheUpdate(BaseMiddleware):
    """Before the FSM middleware (see the module's docstring)."""

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # registered on dp.update
        services: CrmServices = data["services"]
        user = data.get("event_from_user")
        token = _arriving.set(Arriving(event.update_id, user.id if user else None))
        try:
            with handling_update(event.update_id, services.clock.now()):
                return await handler(event, data)
        finally:
            _arriving.reset(token)
