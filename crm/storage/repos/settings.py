"""Application settings kept in the database (CRM mode and the like) and seen updates."""

from __future__ import annotations

from datetime import datetime
from typing import overload

from crm.storage.codec import ts
from crm.storage.connection import Connection
from crm.storage.repos import fetch_one

# Records a Telegram update as handled (crm/storage/handled_updates.py).
RECORD_UPDATE = "INSERT INTO processed_updates (update_id, at) VALUES (?, ?)"


class SettingsRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @overload
    async def get(self, key: str, default: str) -> str: ...
    @overload
    async def get(self, key: str, default: None = None) -> str | None: ...

    async def get(self, key: str, default: str | None = None) -> str | None:
        row = await fetch_one(self._conn, "SELECT value FROM app_settings WHERE key = ?", (key,))
        return str(row[0]) if row else default

    async def set(self, key: str, value: str) -> None:
        await self._conn.execute(
            "INSERT INTO app_settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    async def mark_update_processed(self, update_id: int, at: datetime) -> bool:
        """True the first time an update_id is recorded, False for a re-delivery."""
        cur = await self._conn.execute(RECORD_UPDATE + " ON CONFLICT (update_id) DO NOTHING",
                                       (update_id, ts(at)))
        return cur.rowcount == 1

    async def update_processed(self, update_id: int) -> bool:
        row = await fetch_one(self._conn,
                              "SELECT 1 FROM processed_updates WHERE update_id = ?", (update_id,))
        return row is not None
