"""Activities (calls, meetings, tasks) of items, and moving them along with a conversion."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from crm.models import Activity
from crm.storage.codec import parse_ts, parse_ts_required, placeholders, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id

# Open ones first by deadline; those without a deadline after the dated ones.
_OPEN_ORDER = "ORDER BY deadline IS NULL, deadline, id"


def _activity(row: Any) -> Activity:
    return Activity(
        id=row["id"],
        item_id=row["item_id"],
        kind=row["kind"],
        subject=row["subject"],
        deadline=parse_ts(row["deadline"]),
        assignee_id=row["assignee_id"],
        done=bool(row["done"]),
        done_at=parse_ts(row["done_at"]),
        created_at=parse_ts_required(row["created_at"]),
    )


class ActivityRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, activity: Activity) -> Activity:
        activity.id = await insert_id(
            self._conn,
            """INSERT INTO activities (item_id, kind, subject, deadline, assignee_id, done,
                                       done_at, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (activity.item_id, activity.kind, activity.subject, ts(activity.deadline),
             activity.assignee_id, int(activity.done), ts(activity.done_at),
             ts(activity.created_at)),
        )
        return activity

    async def get(self, activity_id: int) -> Activity | None:
        rows = list(await self._conn.execute_fetchall(
            "SELECT * FROM activities WHERE id = ?", (activity_id,)))
        return _activity(rows[0]) if rows else None

    async def open_for_item(self, item_id: int) -> list[Activity]:
        rows = await self._conn.execute_fetchall(
            f"SELECT * FROM activities WHERE item_id = ? AND done = 0 {_OPEN_ORDER}", (item_id,))
        return [_activity(r) for r in rows]

    async def open_for_assignee(self, user_id: int, limit: int = 50) -> list[Activity]:
        rows = await self._conn.execute_fetchall(
            f"SELECT * FROM activities WHERE assignee_id = ? AND done = 0 {_OPEN_ORDER} LIMIT ?",
            (user_id, limit),
        )
        return [_activity(r) for r in rows]

    async def mark_done(self, activity_id: int, at: datetime) -> bool:
        """False when it was done already (a button pressed twice changes nothing)."""
        cur = await self._conn.execute(
            "UPDATE activities SET done = 1, done_at = ? WHERE id = ? AND done = 0",
            (ts(at), activity_id),
        )
        return cur.rowcount == 1

    async def overdue_unreminded(self, now: datetime, limit: int = 200) -> list[Activity]:
        """Open activities past their deadline whose assignee was not reminded yet."""
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM activities WHERE done = 0 AND reminded_at IS NULL"
            " AND deadline IS NOT NULL AND deadline <= ? AND assignee_id IS NOT NULL"
            " ORDER BY deadline, id LIMIT ?", (ts(now), limit))
        return [_activity(r) for r in rows]

    async def mark_reminded(self, activity_id: int, at: datetime) -> bool:
        cur = await self._conn.execute(
            "UPDATE activities SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (ts(at), activity_id))
        return cur.rowcount == 1

    async def reschedule(self, activity_id: int, deadline: datetime) -> bool:
        """A new deadline for an open activity, which reminds again then (snooze)."""
        cur = await self._conn.execute(
            "UPDATE activities SET deadline = ?, reminded_at = NULL WHERE id = ? AND done = 0",
            (ts(deadline), activity_id))
        return cur.rowcount == 1

    async def next_reminder(self) -> datetime | None:
        """The earliest deadline of an open activity that will need a reminder."""
        rows = await self._conn.execute_fetchall(
            "SELECT MIN(deadline) FROM activities WHERE done = 0 AND reminded_at IS NULL"
            " AND deadline IS NOT NULL AND assignee_id IS NOT NULL")
        return parse_ts(next(iter(rows))[0])

    async def due_for_assignee(self, user_id: int, until: datetime,
                               limit: int = 20) -> list[Activity]:
        """The assignee's open activities due before `until` (overdue ones included)."""
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM activities WHERE assignee_id = ? AND done = 0"
            f" AND deadline IS NOT NULL AND deadline < ? {_OPEN_ORDER} LIMIT ?",
            (user_id, ts(until), limit))
        return [_activity(r) for r in rows]

    async def move_open_to_linked_deals(self, lead_ids: Sequence[int]) -> int:
        """Moves the leads' open activities to the deals recorded in lead_conversions."""
        if not lead_ids:
            return 0
        cur = await self._conn.execute(
            f"""UPDATE activities
                SET item_id = (SELECT deal_id FROM lead_conversions c
                               WHERE c.lead_id = activities.item_id)
                WHERE done = 0 AND item_id IN ({placeholders(lead_ids)})
                  AND item_id IN (SELECT lead_id FROM lead_conversions)""",
            tuple(lead_ids),
        )
        return cur.rowcount

    async def close_open(self, item_ids: Sequence[int], at: datetime) -> int:
        if not item_ids:
            return 0
        cur = await self._conn.execute(
            f"UPDATE activities SET done = 1, done_at = ?"
            f" WHERE done = 0 AND item_id IN ({placeholders(item_ids)})",
            (ts(at), *item_ids),
        )
        return cur.rowcount
