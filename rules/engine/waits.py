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
from crm.storage.dialect import Dialect
from crm.storage.unit_of_work import UnitOfWork

KIND = "wait_for"


def _started(dialect: Dialect, waits_for: str | None = None) -> str:
    """Makes the item's started waits due now (those waiting for `waits_for` only)."""
    sql = ("UPDATE rule_runs SET state = 'pending', due_at = ? WHERE item_id = ?"
           " AND state = 'waiting' AND rule_kind = ?"
           f" AND {dialect.json_text('result', 'since')} IS NOT NULL")
    if waits_for is not None:
        sql += f" AND {dialect.json_text('result', 'waits_for')} = '{waits_for}'"
    return sql


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
        await self._due(uow, _started(uow.conn.dialect), event)

    async def on_item_changed(self, event: OnItem, uow: UnitOfWork) -> None:
        await self._due(uow, _started(uow.conn.dialect, "condition"), event)

    async def _due(self, uow: UnitOfWork, sql: str, event: OnItem) -> None:
        cur = await uow.conn.execute(sql, (ts(event.at), event.item_id, KIND))
        if cur.rowcount:
            uow.after_commit(self._wake)
