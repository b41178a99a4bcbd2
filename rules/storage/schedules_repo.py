"""Copy schedules: the truth about recurring copies; the timer only wakes their worker."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.storage.codec import parse_ts, parse_ts_required, placeholders, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from rules.recurring.schedule import CopySchedule, Repeat, ScheduleState

_COLUMNS = ("origin_id", "rule_id", "run_id", "pipeline_id", "stage_id", "title", "repeat",
            "every", "day", "anchor_at", "occurrence", "copies", "max_copies", "next_due_at",
            "state", "end_reason", "ended_by", "ended_at", "created_at")


def _schedule(row: Any) -> CopySchedule:
    return CopySchedule(
        id=row["id"], origin_id=row["origin_id"], rule_id=row["rule_id"], run_id=row["run_id"],
        pipeline_id=row["pipeline_id"], stage_id=row["stage_id"], title=row["title"],
        repeat=Repeat(row["repeat"]), every=row["every"], day=row["day"],
        anchor_at=parse_ts_required(row["anchor_at"]),
        occurrence=row["occurrence"], copies=row["copies"], max_copies=row["max_copies"],
        next_due_at=parse_ts(row["next_due_at"]), state=ScheduleState(row["state"]),
        end_reason=row["end_reason"], ended_by=row["ended_by"],
        ended_at=parse_ts(row["ended_at"]),
        created_at=parse_ts_required(row["created_at"]),
    )


def _values(s: CopySchedule) -> tuple[Any, ...]:
    return (s.origin_id, s.rule_id, s.run_id, s.pipeline_id, s.stage_id, s.title,
            s.repeat.value, s.every, s.day, ts(s.anchor_at), s.occurrence, s.copies,
            s.max_copies, ts(s.next_due_at), s.state.value, s.end_reason, s.ended_by,
            ts(s.ended_at), ts(s.created_at))


class ScheduleRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _select(self, where: str, args: tuple[Any, ...] = ()) -> list[CopySchedule]:
        rows = await self._conn.execute_fetchall(f"SELECT * FROM copy_schedules {where}", args)
        return [_schedule(r) for r in rows]

    async def add(self, schedule: CopySchedule) -> CopySchedule:
        marks = placeholders(_COLUMNS)
        schedule.id = await insert_id(
            self._conn,
            f"INSERT INTO copy_schedules ({', '.join(_COLUMNS)}) VALUES ({marks}) RETURNING id",
            _values(schedule))
        return schedule

    async def save(self, schedule: CopySchedule) -> None:
        sets = ", ".join(f"{c} = ?" for c in _COLUMNS)
        await self._conn.execute(f"UPDATE copy_schedules SET {sets} WHERE id = ?",
                                 (*_values(schedule), schedule.id))

    async def get(self, schedule_id: int) -> CopySchedule | None:
        found = await self._select("WHERE id = ?", (schedule_id,))
        return found[0] if found else None

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        rows = await self._conn.execute_fetchall(
            "SELECT id FROM copy_schedules WHERE state = 'active' AND next_due_at <= ?"
            " ORDER BY next_due_at, id LIMIT ?", (ts(now), limit))
        return [int(r[0]) for r in rows]

    async def next_due(self) -> datetime | None:
        rows = await self._conn.execute_fetchall(
            "SELECT MIN(next_due_at) FROM copy_schedules WHERE state = 'active'")
        return parse_ts(next(iter(rows))[0])

    async def active_for(self, origin_id: int) -> list[CopySchedule]:
        return await self._select("WHERE origin_id = ? AND state = 'active' ORDER BY id",
                                  (origin_id,))

    async def active(self, limit: int = 50) -> list[CopySchedule]:
        return await self._select(
            "WHERE state = 'active' ORDER BY next_due_at, id LIMIT ?", (limit,))
