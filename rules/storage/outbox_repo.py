"""The outbox: what rules decided to send, written in the run's transaction, delivered later."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from crm.storage.codec import parse_ts, parse_ts_required, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from rules.model import OutboxRow, OutboxState


def _row(row: Any) -> OutboxRow:
    return OutboxRow(
        id=row["id"], run_id=row["run_id"], dedupe_key=row["dedupe_key"],
        channel=row["channel"], chat_id=row["chat_id"], kind=row["kind"],
        payload=json.loads(row["payload"]), state=OutboxState(row["state"]),
        attempts=row["attempts"], next_attempt_at=parse_ts_required(row["next_attempt_at"]),
        created_at=parse_ts_required(row["created_at"]),
        retry_after_until=parse_ts(row["retry_after_until"]),
        sent_message_id=row["sent_message_id"], last_error=row["last_error"],
        sent_at=parse_ts(row["sent_at"]),
    )


_INSERT = """INSERT INTO outbox (run_id, dedupe_key, channel, chat_id, kind, payload,
                 state, attempts, next_attempt_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT DO NOTHING"""


def _columns(row: OutboxRow) -> tuple[Any, ...]:
    return (row.run_id, row.dedupe_key, row.channel, row.chat_id, row.kind,
            json.dumps(row.payload, ensure_ascii=False), ts(row.next_attempt_at),
            ts(row.created_at))


class OutboxRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, row: OutboxRow) -> bool:
        """Queues the row; False when its dedupe key was queued before (nothing is added)."""
        row.id = await insert_id(self._conn, _INSERT + " RETURNING id", _columns(row))
        return row.id != 0

    async def add_many(self, rows: list[OutboxRow]) -> None:
        """Queues the rows in one statement (a dedupe key queued before adds nothing)."""
        if rows:
            await self._conn.executemany(_INSERT, [_columns(row) for row in rows])

    async def due(self, now: datetime, limit: int,
                  skip_chats: Collection[int] = ()) -> list[OutboxRow]:
        """Pending rows due at `now`, oldest first, leaving out chats that must wait."""
        skip = sorted(skip_chats)
        others = (f" AND (chat_id IS NULL OR chat_id NOT IN ({', '.join('?' * len(skip))}))"
                  if skip else "")
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?" + others
            + " ORDER BY id LIMIT ?", (ts(now), *skip, limit))
        return [_row(r) for r in rows]

    async def claim(self, row_ids: Collection[int], holder: str, now: datetime,
                    until: datetime) -> list[OutboxRow]:
        """Claims for `holder` those of the rows that are still pending and due at `now`
        (none claimed them meanwhile) and whose chat has no row claimed by anyone (one at a
        time per chat, in order, whichever process sends), until `until`: their next
        attempt moves there, so they are nobody's due rows before then. Returns them, oldest
        first."""
        if not row_ids:
            return []
        ids = sorted(row_ids)
        dialect = self._conn.dialect
        plain = dialect.unindexed  # by id, and the held rows by claimer (see Dialect)
        rows = await self._conn.execute_fetchall(
            # PostgreSQL: rows another sender's transaction is claiming are skipped, not
            # waited for (SQLite has one writer at a time anyway)
            "UPDATE outbox SET claimed_by = ?, next_attempt_at = ?"
            " WHERE id IN (SELECT id FROM outbox AS due"
            f"  WHERE id IN ({', '.join('?' * len(ids))})"
            f"  AND {plain('state')} = 'pending' AND {plain('next_attempt_at')} <= ?"
            "  AND NOT EXISTS (SELECT 1 FROM outbox AS held WHERE held.claimed_by IS NOT NULL"
            f"   AND held.chat_id = due.chat_id AND {plain('held.state')} = 'pending'"
            f"   AND {plain('held.next_attempt_at')} > ?){dialect.skip_locked}) RETURNING *",
            (holder, ts(until), *ids, ts(now), ts(now)))
        return sorted((_row(r) for r in rows), key=lambda row: row.id)

    async def release(self, row_id: int, holder: str, now: datetime) -> bool:
        """Gives a claimed row up unsent: due again at once, for whoever sends."""
        return await _applied(self._conn, (
            "UPDATE outbox SET claimed_by = NULL, next_attempt_at = ?"
            " WHERE id = ? AND state = 'pending' AND claimed_by = ?"), (ts(now), row_id, holder))

    async def claimers(self) -> list[str]:
        """Who holds claims now (a short list: a claim ends when its row is marked)."""
        rows = await self._conn.execute_fetchall(
            "SELECT DISTINCT claimed_by FROM outbox WHERE claimed_by IS NOT NULL")  # its index
        return [str(r[0]) for r in rows]

    async def release_all_of(self, holder: str, now: datetime) -> int:
        """Makes the rows a dead claimer held due again at once; how many."""
        return await _changed(self._conn, (
            "UPDATE outbox SET claimed_by = NULL, next_attempt_at = ?"
            " WHERE claimed_by = ? AND state = 'pending'"), (ts(now), holder))

    async def next_attempt(self, after: datetime) -> datetime | None:
        """When the next row falls due after `after` (rows due already are being handled)."""
        rows = await self._conn.execute_fetchall(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'"
            " AND next_attempt_at > ?", (ts(after),))
        return parse_ts(next(iter(rows))[0])

    async def for_run(self, run_id: int) -> list[OutboxRow]:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM outbox WHERE run_id = ? ORDER BY id", (run_id,))
        return [_row(r) for r in rows]

    # A row is marked only by its claimer, and marking ends the claim: a claimer whose
    # claim lapsed (another process took the row over) changes nothing (False).
    async def mark_sent(self, row_id: int, holder: str, message_id: int | None,
                        at: datetime) -> bool:
        return await _applied(self._conn, (
            "UPDATE outbox SET state = 'sent', sent_message_id = ?, sent_at = ?,"
            " attempts = attempts + 1, retry_after_until = NULL, last_error = NULL,"
            " claimed_by = NULL WHERE id = ? AND state = 'pending' AND claimed_by = ?"),
            (message_id, ts(at), row_id, holder))

    async def mark_failed(self, row_id: int, holder: str, error: str) -> bool:
        return await _applied(self._conn, (
            "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ?,"
            " claimed_by = NULL WHERE id = ? AND state = 'pending' AND claimed_by = ?"),
            (error, row_id, holder))

    async def postpone(self, row_id: int, holder: str, until: datetime, error: str,
                       retry_after: bool = False) -> bool:
        """Tries again at `until`; `retry_after` records that Telegram asked for the wait."""
        return await _applied(self._conn, (
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?,"
            " retry_after_until = ?, claimed_by = NULL"
            " WHERE id = ? AND state = 'pending' AND claimed_by = ?"),
            (ts(until), error, ts(until) if retry_after else None, row_id, holder))

    async def hold_chat(self, chat_id: int, until: datetime) -> None:
        """Nothing more to `chat_id` before `until` (Telegram asked it to wait), so that its
        messages still go out in the order they were queued."""
        await self._conn.execute(
            "UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND chat_id = ?"
            " AND next_attempt_at < ?", (ts(until), chat_id, ts(until)))

    async def counts(self) -> dict[str, int]:
        rows = await self._conn.execute_fetchall(
            "SELECT state, COUNT(*) FROM outbox GROUP BY state")
        return {str(r[0]): int(r[1]) for r in rows}


async def _changed(conn: Connection, sql: str, args: tuple[Any, ...]) -> int:
    """How many rows the statement changed."""
    cursor = await conn.execute(sql, args)
    return cursor.rowcount


async def _applied(conn: Connection, sql: str, args: tuple[Any, ...]) -> bool:
    return await _changed(conn, sql, args) > 0
