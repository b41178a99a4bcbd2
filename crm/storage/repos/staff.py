"""Staff members and invites."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from crm.models import Invite, Role, Staff
from crm.storage.codec import parse_ts, parse_ts_required, storable, ts
from crm.storage.connection import Connection
from crm.storage.repos import RowCache, SharedRows, fetch_one


def _staff(row: Any) -> Staff:
    return Staff(
        user_id=row["user_id"],
        name=row["name"],
        username=row["username"],
        role=Role(row["role"]),
        can_edit_settings=bool(row["can_edit_settings"]),
        language=row["language"],
        active=bool(row["active"]),
        joined_at=parse_ts(row["joined_at"]),
    )


class StaffRepo:
    """Staff rows are cached (see RowCache; `shared` is the database's staff cache): every
    update asks who sent it, and the team changes rarely, only through `save`."""

    def __init__(self, conn: Connection, shared: SharedRows | None = None,
                 version: Callable[[], Awaitable[int]] | None = None) -> None:
        self._conn = conn
        self._cache = RowCache(shared, version)

    def committed(self) -> None:
        """Its unit of work committed: a write of its own now stales the shared rows."""
        self._cache.committed()

    async def get(self, user_id: int) -> Staff | None:
        if not storable(abs(user_id)):
            return None
        row = await self._cache.get(user_id, lambda: fetch_one(
            self._conn, "SELECT * FROM staff WHERE user_id = ?", (user_id,)))
        return _staff(row) if row else None  # a new Staff each time: callers may change it

    async def list_active(self) -> list[Staff]:
        return [_staff(r) for r in await self._conn.execute_fetchall(
            "SELECT * FROM staff WHERE active = 1 ORDER BY role, name"
        )]

    async def save(self, staff: Staff) -> None:
        self._cache.writing()
        await self._conn.execute(
            """INSERT INTO staff (user_id, name, username, role, can_edit_settings, language,
                                  active, joined_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(user_id) DO UPDATE SET
                 name = excluded.name, username = excluded.username, role = excluded.role,
                 can_edit_settings = excluded.can_edit_settings, language = excluded.language,
                 active = excluded.active""",
            (
                staff.user_id,
                staff.name,
                staff.username,
                staff.role.value,
                int(staff.can_edit_settings),
                staff.language,
                int(staff.active),
                ts(staff.joined_at),
            ),
        )

    async def add_invite(self, invite: Invite) -> None:
        await self._conn.execute(
            "INSERT INTO invites (code, role, created_by, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (
                invite.code,
                invite.role.value,
                invite.created_by,
                ts(invite.created_at),
                ts(invite.expires_at),
            ),
        )

    async def get_invite(self, code: str) -> Invite | None:
        row = await fetch_one(self._conn, "SELECT * FROM invites WHERE code = ?", (code,))
        if row is None:
            return None
        return Invite(
            code=row["code"],
            role=Role(row["role"]),
            created_by=row["created_by"],
            created_at=parse_ts_required(row["created_at"]),
            expires_at=parse_ts_required(row["expires_at"]),
            used_by=row["used_by"],
            used_at=parse_ts(row["used_at"]),
        )

    async def use_invite(self, code: str, user_id: int, at: datetime) -> bool:
        """Marks the invite used; False when someone else used it first."""
        cur = await self._conn.execute(
            "UPDATE invites SET used_by = ?, used_at = ? WHERE code = ? AND used_by IS NULL",
            (user_id, ts(at), code),
        )
        return cur.rowcount == 1
