"""Deleting what is old enough to go, a batch at a time (see rules/retention.py)."""

from __future__ import annotations

from datetime import datetime

from crm.storage.codec import ts
from crm.storage.connection import Connection

_UPDATES = """DELETE FROM processed_updates WHERE update_id IN (
    SELECT update_id FROM processed_updates WHERE at < ? LIMIT ?)"""
_OUTBOX = """DELETE FROM outbox WHERE id IN (
    SELECT id FROM outbox WHERE state IN ('sent', 'failed') AND next_attempt_at < ? LIMIT ?)"""
# Finished runs of an entry that is not the item's newest (history_by_item finds that).
_RUNS = """DELETE FROM rule_runs WHERE id IN (
    SELECT r.id FROM rule_runs r
    WHERE r.state IN ('done', 'failed', 'skipped', 'cancelled', 'stopped')
      AND COALESCE(r.due_at, r.created_at) < ?
      AND r.entry_id < (SELECT MAX(h.id) FROM stage_history h WHERE h.item_id = r.item_id)
    LIMIT ?)"""


class RetentionRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def prune_updates(self, before: datetime, limit: int) -> int:
        return await self._delete(_UPDATES, before, limit)

    async def prune_outbox(self, before: datetime, limit: int) -> int:
        return await self._delete(_OUTBOX, before, limit)

    async def prune_runs(self, before: datetime, limit: int) -> int:
        return await self._delete(_RUNS, before, limit)

    async def _delete(self, sql: str, before: datetime, limit: int) -> int:
        cursor = await self._conn.execute(sql, (ts(before), limit))
        return cursor.rowcount
