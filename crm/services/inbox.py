"""Remembering which Telegram updates were handled, so a re-delivery has no second effect."""

from __future__ import annotations

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWorkFactory


class UpdateInbox:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def first_delivery(self, update_id: int) -> bool:
        """Records the update; False when it was recorded before.

        Recorded before handling: a crash in the handler loses that one update (the user
        can repeat it) rather than applying it twice after a re-delivery."""
        async with self._uow(atomic=False) as uow:  # one INSERT: it commits by itself
            fresh = await uow.settings.mark_update_processed(update_id, self._clock.now())
            await uow.commit()
        return fresh
