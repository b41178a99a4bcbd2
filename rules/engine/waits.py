"""Waking the item's waits ("wait for the client's reply or a condition", rules.kinds.wait_for)
when something happened on it: the client wrote. Subscribed to crm's ClientWrote, so it works
in the transaction that files the message: the item's waits that have started are due at
once, and the run worker is woken after the commit. The wait, executed again, reads the
client's messages itself — so a message that arrives while it runs is not lost either."""

from __future__ import annotations

from collections.abc import Callable

from crm.events import ClientWrote
from crm.storage.codec import ts
from crm.storage.unit_of_work import UnitOfWork

KIND = "wait_for"


class WaitWaker:
    def __init__(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    async def on_client_wrote(self, event: ClientWrote, uow: UnitOfWork) -> None:
        cur = await uow.conn.execute(
            "UPDATE rule_runs SET state = 'pending', due_at = ? WHERE item_id = ?"
            " AND state = 'waiting' AND rule_kind = ?"
            " AND json_extract(result, '$.since') IS NOT NULL",
            (ts(event.at), event.item_id, KIND))
        if cur.rowcount:
            uow.after_commit(self._wake)
