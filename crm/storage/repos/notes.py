"""An item's notes: the timeline's entries of kind `note` (migration 014 indexes them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.models import TimelineEntry, TimelineKind
from crm.storage.codec import parse_ts_required
from crm.storage.connection import Connection


@dataclass(frozen=True, slots=True)
class NoteCount:
    """What every card shows: how many notes, the latest one and its author's name (None:
    automation wrote it, or its author left no staff row)."""

    count: int
    latest: TimelineEntry | None
    author_name: str | None = None


def _note(row: Any) -> TimelineEntry:
    return TimelineEntry(
        id=row["id"], item_id=row["item_id"], at=parse_ts_required(row["at"]),
        kind=TimelineKind(row["kind"]), text=row["text"], author_id=row["author_id"],
        tg_message_id=row["tg_message_id"],
    )


class NoteRepo:
    """Bound to a unit of work with `uow.extension(NoteRepo)`; notes are written through the
    timeline (`uow.timeline.add`)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def latest(self, item_id: int, limit: int = 10) -> list[TimelineEntry]:
        """The latest `limit` notes and contact changes of the item, oldest first (for the
        card's history: read along the item's timeline index)."""
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM timeline WHERE item_id = ? AND kind IN ('note', 'contact_change')"
            " ORDER BY id DESC LIMIT ?",
            (item_id, limit),
        )
        return [_note(r) for r in reversed(list(rows))]

    async def count(self, item_id: int) -> NoteCount:
        rows = list(await self._conn.execute_fetchall(
            "SELECT t.*, s.name AS author_name,"
            " (SELECT COUNT(*) FROM timeline WHERE item_id = ? AND kind = 'note') AS notes"
            " FROM timeline t LEFT JOIN staff s ON s.user_id = t.author_id"
            " WHERE t.item_id = ? AND t.kind = 'note' ORDER BY t.id DESC LIMIT 1",
            (item_id, item_id),
        ))
        if not rows:
            return NoteCount(0, None)
        row = rows[0]
        return NoteCount(int(row["notes"]), _note(row), row["author_name"])
