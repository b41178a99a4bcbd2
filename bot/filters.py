"""Router-level access filters."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from crm.models import Staff


class IsStaff(Filter):
    """Passes for active staff; clients fall through to the client router."""

    async def __call__(self, event: TelegramObject, staff: Staff | None = None) -> bool:
        return staff is not None


class IsClient(Filter):
    async def __call__(self, event: TelegramObject, staff: Staff | None = None) -> bool:
        return staff is None
