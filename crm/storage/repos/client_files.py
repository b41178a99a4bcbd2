"""Client files: what a client sent (or a salesperson forwarded) besides text, kept by
Telegram's file_id on the item's conversation (migration 016)."""

from __future__ import annotations

from typing import Any

from crm.models import ClientFile
from crm.storage.codec import parse_ts_required, placeholders, ts
from crm.storage.connection import Connection
from crm.storage.repos import fetch_one, insert_id


def _file(row: Any) -> ClientFile:
    return ClientFile(
        kind=row["kind"], file_id=row["file_id"], file_unique_id=row["file_unique_id"],
        caption=row["caption"], file_name=row["file_name"], mime_type=row["mime_type"],
        file_size=row["file_size"], phone=row["phone"], id=row["id"],
        item_id=row["item_id"], timeline_id=row["timeline_id"],
        at=parse_ts_required(row["at"]), forwarded_by=row["forwarded_by"],
    )


class ClientFileRepo:
    """Bound to a unit of work with `uow.extension(ClientFileRepo)`."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, file: ClientFile) -> int:
        file.id = await insert_id(
            self._conn,
            "INSERT INTO client_files (item_id, timeline_id, at, kind, file_id, file_unique_id,"
            " caption, file_name, mime_type, file_size, phone, forwarded_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (file.item_id, file.timeline_id, ts(file.at), file.kind, file.file_id,
             file.file_unique_id, file.caption, file.file_name, file.mime_type, file.file_size,
             file.phone, file.forwarded_by),
        )
        return file.id

    async def get(self, file_id: int) -> ClientFile | None:
        row = await fetch_one(self._conn, "SELECT * FROM client_files WHERE id = ?", (file_id,))
        return _file(row) if row else None

    async def for_item(self, item_id: int, limit: int) -> list[ClientFile]:
        """The item's newest `limit` files, oldest first; a deal also has the files of the
        lead it was converted from (as its conversation has the lead's messages)."""
        rows = await self._conn.execute_fetchall(
            # One IN list, not `item_id = ? OR item_id IN (…)`: PostgreSQL reads an OR with a
            # subquery row by row, through no index.
            """SELECT * FROM client_files
               WHERE item_id IN (SELECT ? UNION ALL
                                 SELECT lead_id FROM lead_conversions WHERE deal_id = ?)
               ORDER BY id DESC LIMIT ?""",
            (item_id, item_id, limit),
        )
        return [_file(r) for r in reversed(list(rows))]

    async def for_timeline(self, entry_ids: list[int]) -> dict[int, ClientFile]:
        """The files of these timeline lines, by line."""
        if not entry_ids:
            return {}
        marks = placeholders(entry_ids)
        rows = await self._conn.execute_fetchall(
            f"SELECT * FROM client_files WHERE timeline_id IN ({marks})", tuple(entry_ids))
        return {int(r["timeline_id"]): _file(r) for r in rows}
