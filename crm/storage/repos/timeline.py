"""An item's timeline (client messages, staff replies, notes) and the client's open item."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.models import TimelineEntry, TimelineKind
from crm.storage.codec import parse_ts_required, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id


def _entry(row: Any) -> TimelineEntry:
    return TimelineEntry(
        id=row["id"],
        item_id=row["item_id"],
        at=parse_ts_required(row["at"]),
        kind=TimelineKind(row["kind"]),
        text=row["text"],
        author_id=row["author_id"],
        tg_message_id=row["tg_message_id"],
    )


class TimelineRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, entry: TimelineEntry) -> int:
        entry.id = await insert_id(
            self._conn,
            "INSERT INTO timeline (item_id, at, kind, author_id, text, tg_message_id)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (entry.item_id, ts(entry.at), entry.kind.value, entry.author_id, entry.text,
             entry.tg_message_id),
        )
        return entry.id

    async def for_item(self, item_id: int, limit: int = 20) -> list[TimelineEntry]:
        """The latest `limit` entries, oldest first. A deal also shows the conversation of
        the lead it was converted from, so nothing the client said is lost by converting."""
        rows = await self._conn.execute_fetchall(
            """SELECT * FROM timeline
               WHERE item_id = ? OR item_id IN (SELECT lead_id FROM lead_conversions
                                                WHERE deal_id = ?)
               ORDER BY id DESC LIMIT ?""",
            (item_id, item_id, limit),
        )
        return [_entry(r) for r in reversed(list(rows))]

    async def client_wrote_since(self, item_id: int, since: datetime) -> bool:
        """Whether the client wrote on the item (a message, a file, a button) at or after
        `since` (a rule waiting for the client's reply)."""
        rows = await self._conn.execute_fetchall(
            "SELECT 1 FROM timeline WHERE item_id = ? AND author_id IS NULL"
            " AND kind IN ('client_message', 'client_file', 'client_button') AND at >= ?"
            " LIMIT 1", (item_id, ts(since)))
        return bool(list(rows))

    async def open_item_of_contact(self, contact_id: int) -> int | None:
        """The newest lead or deal of the contact that is still in a progress stage."""
        rows = await self._conn.execute_fetchall(
            """SELECT i.id FROM items i JOIN stages s ON s.id = i.stage_id
               WHERE i.contact_id = ? AND i.type_code IN ('lead', 'deal')
                 AND s.kind = 'progress'
               ORDER BY i.id DESC LIMIT 1""",
            (contact_id,),
        )
        found = list(rows)
        return int(found[0][0]) if found else None
