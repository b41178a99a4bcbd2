"""The rows of open dialogs (migration 025): one per user, chat, thread and destiny."""

from __future__ import annotations

from datetime import datetime

from crm.models import DialogKey
from crm.storage.codec import ts
from crm.storage.connection import Connection
from crm.storage.repos import fetch_one

KEY_MATCH = ("bot_id = ? AND chat_id = ? AND user_id = ? AND thread_id = ?"
             " AND business_connection_id = ? AND destiny = ?")
KEY_COLUMNS = "bot_id, chat_id, user_id, thread_id, business_connection_id, destiny"
EMPTY = "{}"


def _key(key: DialogKey) -> tuple[int, int, int, int, str, str]:
    return (key.bot_id, key.chat_id, key.user_id, key.thread_id or 0,
            key.business_connection_id or "", key.destiny)


class DialogRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, key: DialogKey) -> tuple[str | None, str]:
        """(state, data as JSON text); (None, "{}") for a user in no dialog."""
        row = await fetch_one(self._conn,
                              f"SELECT state, data FROM dialog_states WHERE {KEY_MATCH}",
                              _key(key))
        return (row[0], row[1]) if row else (None, EMPTY)

    async def put_state(self, key: DialogKey, state: str | None, at: datetime) -> None:
        await self._conn.execute(
            f"INSERT INTO dialog_states ({KEY_COLUMNS}, state, touched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT ({KEY_COLUMNS}) DO UPDATE"
            " SET state = excluded.state, touched_at = excluded.touched_at",
            (*_key(key), state, ts(at)))

    async def put_data(self, key: DialogKey, data: str, at: datetime) -> None:
        await self._conn.execute(
            f"INSERT INTO dialog_states ({KEY_COLUMNS}, data, touched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            f" ON CONFLICT ({KEY_COLUMNS}) DO UPDATE"
            " SET data = excluded.data, touched_at = excluded.touched_at",
            (*_key(key), data, ts(at)))

    async def drop_if_empty(self, key: DialogKey) -> None:
        """A dialog that ended (no step, no answers) leaves no row behind."""
        await self._conn.execute(
            f"DELETE FROM dialog_states WHERE {KEY_MATCH} AND state IS NULL AND data = ?",
            (*_key(key), EMPTY))

    async def prune(self, untouched_since: datetime) -> int:
        """Drops dialogs nobody answered since then (dialog_states_touched)."""
        cur = await self._conn.execute("DELETE FROM dialog_states WHERE touched_at < ?",
                                       (ts(untouched_since),))
        return cur.rowcount
