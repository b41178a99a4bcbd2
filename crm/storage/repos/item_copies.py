"""Which item a copy was made from (a "copy the item" rule, once or on a schedule)."""

from __future__ import annotations

from crm.models import CopyLink
from crm.storage.codec import parse_ts_required, ts
from crm.storage.connection import Connection


class ItemCopyRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, link: CopyLink) -> bool:
        """False when the schedule's occurrence already made its copy (nothing is added)."""
        cur = await self._conn.execute(
            "INSERT INTO item_copies (copy_id, origin_id, schedule_id, occurrence, at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (link.copy_id, link.origin_id, link.schedule_id, link.occurrence, ts(link.at)))
        return cur.rowcount == 1

    async def origin_of(self, copy_id: int) -> CopyLink | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM item_copies WHERE copy_id = ?", (copy_id,))
        row = next(iter(rows), None)
        if row is None:
            return None
        return CopyLink(copy_id=row["copy_id"], origin_id=row["origin_id"],
                        at=parse_ts_required(row["at"]),
                        schedule_id=row["schedule_id"], occurrence=row["occurrence"])

    async def made_for(self, schedule_id: int, occurrence: int) -> int | None:
        rows = await self._conn.execute_fetchall(
            "SELECT copy_id FROM item_copies WHERE schedule_id = ? AND occurrence = ?",
            (schedule_id, occurrence))
        row = next(iter(rows), None)
        return int(row[0]) if row else None
