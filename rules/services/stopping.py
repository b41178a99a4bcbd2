"""Stopping automation for one item in its current stage: nothing more runs there."""

from __future__ import annotations

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.engine.due import finish
from rules.model import AutomationStop, RunState
from rules.reason_codes import Reason
from rules.storage.unit import repos


class StopService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def stop(self, actor: Staff, item_id: int) -> int:
        """Stops the item's automation in its current stage; returns how many waiting rules
        were stopped (0 also when it was stopped already). Messages already queued are
        still delivered: a message a rule decided to send is never lost."""
        async with self._uow() as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            runs = repos(uow).runs
            entry = await runs.latest_entry(item_id)
            assert entry is not None  # every item entered its stage once
            now = self._clock.now()
            await runs.add_stop(AutomationStop(item_id, entry.id, entry.stage_id,
                                               actor.user_id, now))
            stopped = await runs.open_for_entry(entry.id)
            for run in stopped:
                finish(run, RunState.STOPPED, now, Reason.STOPPED, {"name": actor.name})
                await runs.save(run)
            await uow.commit()
        return len(stopped)
