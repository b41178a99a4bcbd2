"""A client connects (opens their start link): the client rules that could not reach them run
again.

Subscribed to crm's ClientConnected, so it works in the transaction that connects the chat:
in each open item of the contact, the runs of its current stage entry that failed because
the client could not be reached — they had not started the bot (client_not_started), or
Telegram did not know or could not reach their chat (chat_not_found, blocked: a message to
the client, not to staff or a team chat) — are due again at once, as if new. Their failed
outbox rows go (the new chat gets a new message; a run of which something was delivered
already is left alone, so nothing reaches the client twice). The run worker is woken after
the commit. Opening the link twice finds nothing left to run: those runs are no longer
failed. An item's automation stopped in its stage stays stopped.

Each item of the contact with runs again raises RulesRerun, so the responsible person hears
of it (bot/inquiries/taking.py); a connection that changes nothing is not announced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from crm.events import ClientConnected
from crm.storage.codec import placeholders, ts
from crm.storage.unit_of_work import UnitOfWork
from rules.model import OutboxState, RunState
from rules.reason_codes import Reason
from rules.storage.unit import repos

UNREACHED = (Reason.CLIENT_NOT_STARTED, Reason.CHAT_NOT_FOUND, Reason.BLOCKED)
CLIENT_ONLY = frozenset({Reason.CHAT_NOT_FOUND, Reason.BLOCKED})  # also staff could fail so
MAX_ITEMS = 50  # open items of one contact looked at


@dataclass(frozen=True, slots=True)
class RulesRerun:
    """Rules of an item run again because its client connected (event, in the transaction
    of the connection)."""

    item_id: int
    title: str
    responsible_id: int | None
    contact_name: str
    count: int
    at: datetime


class ReconnectRuns:
    def __init__(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    async def on_connected(self, event: ClientConnected, uow: UnitOfWork) -> None:
        items = await uow.conn.execute_fetchall(
            "SELECT id, title, responsible_id FROM items WHERE contact_id = ? AND closed = 0"
            " ORDER BY id DESC LIMIT ?", (event.contact_id, MAX_ITEMS))
        total = 0
        for item in items:
            count = await rerun_unreached(uow, int(item["id"]), event.at)
            total += count
            if count:
                await uow.publish(RulesRerun(int(item["id"]), str(item["title"]),
                                             item["responsible_id"], event.name, count,
                                             event.at))
        if total:
            uow.after_commit(self._wake)


async def rerun_unreached(uow: UnitOfWork, item_id: int, now: datetime) -> int:
    """Makes the item's runs in its current stage entry that failed for not reaching the
    client due now; returns how many."""
    conn = uow.conn
    entry_rows = await conn.execute_fetchall(
        "SELECT MAX(id) FROM stage_history WHERE item_id = ?", (item_id,))
    entry_id = next(iter(entry_rows))[0]
    if entry_id is None:
        return 0
    stopped = await conn.execute_fetchall(
        "SELECT 1 FROM automation_stops WHERE item_id = ? AND entry_id = ?", (item_id, entry_id))
    if list(stopped):
        return 0
    marks = placeholders(UNREACHED)
    rows = await conn.execute_fetchall(
        f"SELECT id, reason_code, reason_params FROM rule_runs WHERE item_id = ?"
        f" AND entry_id = ? AND state = 'failed' AND reason_code IN ({marks})",
        (item_id, entry_id, *UNREACHED))
    store = repos(uow)
    again: list[int] = []
    for row in rows:
        params = json.loads(row["reason_params"] or "{}")
        if Reason(row["reason_code"]) in CLIENT_ONLY and params.get("role") != "client":
            continue
        delivered = await store.outbox.for_run(int(row["id"]))
        if any(r.state is OutboxState.SENT for r in delivered):
            continue
        again.append(int(row["id"]))
    for run_id in again:
        await conn.execute("DELETE FROM outbox WHERE run_id = ?", (run_id,))
        await conn.execute(
            "UPDATE rule_runs SET state = ?, due_at = ?, started_at = NULL, finished_at = NULL,"
            " reason_code = NULL, reason_params = '{}', late = 0, result = '{}' WHERE id = ?",
            (RunState.PENDING.value, ts(now), run_id))
    return len(again)
