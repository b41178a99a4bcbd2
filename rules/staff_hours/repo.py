"""Per-person hours and absences (migration 028), reached as `uow.extension(StaffHoursRepo)`."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from crm.storage.codec import ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from rules.staff_hours.model import Absence, PersonalHours


def _hours(row: Any) -> PersonalHours:
    return PersonalHours(row["user_id"], frozenset(int(d) for d in row["days"].split(",")),
                         time.fromisoformat(row["starts"]), time.fromisoformat(row["ends"]))


def _absence(row: Any) -> Absence:
    return Absence(row["id"], row["user_id"], date.fromisoformat(row["first_day"]),
                   date.fromisoformat(row["last_day"]))


class StaffHoursRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def hours(self, user_id: int) -> PersonalHours | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM staff_hours WHERE user_id = ?", (user_id,))
        return next((_hours(r) for r in rows), None)

    async def set_hours(self, hours: PersonalHours, by: int, at: datetime) -> None:
        await self._conn.execute(
            "INSERT INTO staff_hours (user_id, days, starts, ends, set_by, set_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET days = excluded.days,"
            " starts = excluded.starts, ends = excluded.ends, set_by = excluded.set_by,"
            " set_at = excluded.set_at",
            (hours.user_id, ",".join(str(d) for d in sorted(hours.days)),
             hours.start.strftime("%H:%M"), hours.end.strftime("%H:%M"), by, ts(at)))

    async def clear_hours(self, user_id: int) -> bool:
        cur = await self._conn.execute("DELETE FROM staff_hours WHERE user_id = ?", (user_id,))
        return cur.rowcount == 1

    async def absences(self, user_id: int, since: date | None = None) -> list[Absence]:
        """The person's absences ending on or after `since` (all without it), earliest first."""
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM staff_absences WHERE user_id = ?"
            " AND (CAST(? AS TEXT) IS NULL OR last_day >= ?) ORDER BY first_day, id",
            (user_id, since and since.isoformat(), since and since.isoformat()))
        return [_absence(r) for r in rows]

    async def get_absence(self, absence_id: int) -> Absence | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM staff_absences WHERE id = ?", (absence_id,))
        return next((_absence(r) for r in rows), None)

    async def add_absence(self, absence: Absence, by: int, at: datetime) -> Absence:
        new_id = await insert_id(
            self._conn,
            "INSERT INTO staff_absences (user_id, first_day, last_day, set_by, set_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (absence.user_id, absence.first_day.isoformat(), absence.last_day.isoformat(), by,
             ts(at)))
        return Absence(new_id, absence.user_id, absence.first_day, absence.last_day)

    async def delete_absence(self, absence_id: int) -> bool:
        cur = await self._conn.execute("DELETE FROM staff_absences WHERE id = ?", (absence_id,))
        return cur.rowcount == 1
