"""Remembering which Telegram updates were handled, so a re-delivery has no second effect,
and finding out who sent each one."""

from __future__ import annotations

from dataclasses import dataclass

from crm.clock import Clock
from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class Arrival:
    fresh: bool  # False: delivered before, to be ignored
    staff: Staff | None  # the active staff member who sent it; None for a client


class UpdateInbox:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def arrive(self, update_id: int, user_id: int | None) -> Arrival:
        """Records the update and identifies its sender, in one visit to the database (it
        happens for every update). Recorded before handling: a crash in the handler loses
        that one update (the user can repeat it) rather than applying it twice after a
        re-delivery."""
        async with self._uow(atomic=False) as uow:  # one INSERT: it commits by itself
            fresh = await uow.settings.mark_update_processed(update_id, self._clock.now())
            staff = await uow.staff.get(user_id) if fresh and user_id is not None else None
            await uow.commit()
        return Arrival(fresh, staff if staff is not None and staff.active else None)
