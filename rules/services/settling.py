"""The card after a move shows the item as the new stage's immediate rules left it.

A move plans the new stage's rules in its own transaction; the ones due at once run a moment
later, in the run worker of the leading process — which may be another process, so this
waits on the database, not on the worker: it reads the state of the item's runs until none
is pending (and none delivers while a rule after it waits for it), for a bounded time. A
change-field rule of the new stage has then changed the amount the card shows, and the
card's counts say what ran and what its condition kept from running.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.storage.unit import repos

# Long enough for the leader of several processes to notice the move (it looks every 0.5 s)
# and run a few rules; short enough for a chat answer. Runs are usually done in ~50 ms.
SETTLE_SECONDS = 2.0
FIRST_PAUSE, LONGEST_PAUSE = 0.01, 0.1


# Items whose last move in this process planned no rule due at once, remembered at most
# (the oldest are forgotten first: such an item's settling reads the database once, as any).
NOTHING_DUE_KEPT = 10_000


class MoveSettling:
    def __init__(self, uow: UnitOfWorkFactory, seconds: float = SETTLE_SECONDS,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        self._uow = uow
        self._seconds = seconds
        self._sleep = sleep
        self._nothing_due: OrderedDict[int, None] = OrderedDict()

    def planned(self, item_id: int, due_now: bool) -> None:
        """A move committed in this process planned the item's new stage's rules
        (StagePlanner); `due_now`: some of them are due at once."""
        self._nothing_due.pop(item_id, None)
        if not due_now:
            self._nothing_due[item_id] = None
            if len(self._nothing_due) > NOTHING_DUE_KEPT:
                self._nothing_due.popitem(last=False)

    async def settle(self, item_id: int) -> bool:
        """Returns once the rules the item's move started at once have run, or after the
        bound; whether there was anything to wait for (the card is to be read again). After
        a move in this process that planned none, at once: nothing to read."""
        if item_id in self._nothing_due:
            return False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._seconds
        pause, waited = FIRST_PAUSE, False
        while await self._settling(item_id):
            waited = True
            left = deadline - loop.time()
            if left <= 0:
                break  # the card says which of them are still about to run
            await self._sleep(min(pause, left))
            pause = min(pause * 2, LONGEST_PAUSE)
        return waited

    async def _settling(self, item_id: int) -> bool:
        async with self._uow(write=False, atomic=False) as uow:  # one statement: no BEGIN
            return await repos(uow).runs.settling(item_id)
