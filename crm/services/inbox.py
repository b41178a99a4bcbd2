"""Telling re-delivered Telegram updates apart, and finding out who sent each one.

An update is recorded as handled in the transaction of its effect (see
crm/storage/handled_updates.py); here it is only looked up, so a crash before that
commit lets Telegram's re-delivery apply it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Arrival:
    fresh: bool  # False: handled before, to be ignored
    staff: Staff | None  # the active staff member who sent it; None for a client


class UpdateInbox:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def arrive(self, update_id: int, user_id: int | None) -> Arrival:
        """Whether the update is new, and who sent it (for every update: two reads)."""
        arrival, _nothing = await self.arrive_with(update_id, user_id, _nothing_more)
        return arrival

    async def arrive_with(self, update_id: int, user_id: int | None,
                          read: Callable[[UnitOfWork], Awaitable[T]]) -> tuple[Arrival, T]:
        """As `arrive`, and `read` beside it in the same unit of work: on PostgreSQL one
        round trip for all three (the dialog state, which every update reads too)."""
        async with self._uow(write=False, atomic=False) as uow:
            with uow.together():
                handled, staff, found = await asyncio.gather(
                    uow.settings.update_processed(update_id),
                    uow.staff.get(user_id) if user_id is not None else _nobody(), read(uow))
        return Arrival(not handled, staff if staff is not None and staff.active else None), found


async def _nothing_more(uow: UnitOfWork) -> None:
    return None


async def _nobody() -> None:
    return None  # an update without a sender (a channel post)
