"""Waking the item's waits ("wait for the client's reply or a condition", rules.kinds.wait_for)
when something happened on it. Subscribed to crm's events, so it works in the transaction
that made the change: the client wrote (every started wait of the item is due at once), or
its data changed — an activity done, another responsible person — (its waits for a
condition are due at once; between such changes a condition is checked every few minutes).
The run worker is woken after the commit. The wait, executed again, reads the client's
messages and the item itself — so what arrives while it runs is not lost either."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from crm.events import ClientWrote
from crm.storage.codec import ts
from crm.storage.unit_of_work import UnitOfWork

KIND = "wait_for"
_STARTED = ("UPDATE rule_runs SET state = 'pending', due_at = ? WHERE item_id = ?"
            " AND state = 'waiting' AND rule_kind = ? AND json_extract(result, '$.since')"
            " IS NOT NULL")


class OnItem(Protocol):
    """An event about one item (ActivityDone, ResponsibleChanged, …)."""

    @property
    def item_id(self) -> int: ...

    @property
    def at(self) -> datetime: ...


class WaitWaker:
    def __init__(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    async def on_client_wrote(self, event: ClientWrote, uow: UnitOfWork) -> None:
        await self._due(uow, _STARTED, event)

    async def on_item_changed(self, event: OnItem, uow: UnitOfWork) -> None:
        await self._due(uow, _STARTED + " AND json_extract(result, '$.waits_for') = 'condition'",
                        event)

    async def _due(self, uow: UnitOfWork, sql: str, event: OnItem) -> None:
        cur = await uow.conn.execute(sql, (ts(event.at), event.item_id, KIND))
        if cur.rowcount:
            uow.after_commit(self._wake)
