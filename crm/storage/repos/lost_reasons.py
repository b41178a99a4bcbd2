"""Each pipeline's list of lost reasons (migration 015), bound to a unit of work through
`uow.extension(LostReasonRepo)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.storage.codec import storable
from crm.storage.connection import Connection
from crm.storage.repos import fetch_one, insert_id


@dataclass(slots=True, frozen=True)
class LostReason:
    id: int
    pipeline_id: int
    name: str  # a shipped name is an English message id (translated when shown)
    position: int


class LostReasonRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def for_pipeline(self, pipeline_id: int) -> list[LostReason]:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM lost_reasons WHERE pipeline_id = ? ORDER BY position",
            (pipeline_id,))
        return [_reason(r) for r in rows]

    async def get(self, reason_id: int) -> LostReason | None:
        if not storable(reason_id):
            return None
        row = await fetch_one(self._conn, "SELECT * FROM lost_reasons WHERE id = ?",
                              (reason_id,))
        return _reason(row) if row else None

    async def add(self, pipeline_id: int, name: str) -> LostReason:
        reason_id = await insert_id(
            self._conn,
            """INSERT INTO lost_reasons (pipeline_id, name, position)
               SELECT ?, ?, COALESCE(MAX(position), 0) + 1 FROM lost_reasons
                WHERE pipeline_id = ? RETURNING id""",
            (pipeline_id, name, pipeline_id))
        added = await self.get(reason_id)
        assert added is not None
        return added

    async def delete(self, reason_id: int) -> None:
        await self._conn.execute("DELETE FROM lost_reasons WHERE id = ?", (reason_id,))


def _reason(row: Any) -> LostReason:
    return LostReason(id=row["id"], pipeline_id=row["pipeline_id"], name=row["name"],
                      position=row["position"])
