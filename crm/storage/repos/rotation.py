"""Round-robin assignment: who of a role got the last item, kept across restarts."""

from __future__ import annotations

from datetime import datetime

from crm.models import Role
from crm.storage.codec import ts
from crm.storage.connection import Connection


class RotationRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def last(self, role: Role) -> int | None:
        rows = await self._conn.execute_fetchall(
            "SELECT last_user_id FROM responsible_rotation WHERE role = ?", (role.value,))
        row = next(iter(rows), None)
        return int(row[0]) if row else None

    async def record(self, role: Role, user_id: int, at: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO responsible_rotation (role, last_user_id, at) VALUES (?, ?, ?)"
            " ON CONFLICT(role) DO UPDATE SET last_user_id = excluded.last_user_id,"
            " at = excluded.at", (role.value, user_id, ts(at)))
