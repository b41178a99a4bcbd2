"""Rule runs: one row per rule per stage entry, the truth about what automation did."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from crm.storage.codec import parse_ts, parse_ts_required, placeholders, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from rules.model import OPEN, AutomationStop, Execution, RuleRun, RunState, StageEntry

_OPEN_STATES = tuple(s.value for s in OPEN)
_IN = f"({', '.join('?' * len(_OPEN_STATES))})"


def _run(row: Any) -> RuleRun:
    return RuleRun(
        id=row["id"], item_id=row["item_id"], rule_id=row["rule_id"],
        rule_title=row["rule_title"], rule_kind=row["rule_kind"], stage_id=row["stage_id"],
        entry_id=row["entry_id"], position=row["position"],
        execution=Execution(row["execution"]), state=RunState(row["state"]),
        due_at=parse_ts(row["due_at"]), created_at=parse_ts_required(row["created_at"]),
        depth=row["depth"], started_at=parse_ts(row["started_at"]),
        finished_at=parse_ts(row["finished_at"]), reason_code=row["reason_code"],
        reason_params=json.loads(row["reason_params"]), late=bool(row["late"]),
        result=json.loads(row["result"]),
    )


_INSERT = """INSERT INTO rule_runs (item_id, rule_id, rule_title, rule_kind, stage_id, entry_id,
                 position, execution, depth, state, due_at, created_at, finished_at, reason_code,
                 reason_params, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_UPDATE = """UPDATE rule_runs SET state = ?, due_at = ?, started_at = ?, finished_at = ?,
                 reason_code = ?, reason_params = ?, late = ?, result = ? WHERE id = ?"""


def _new(run: RuleRun) -> tuple[Any, ...]:
    return (run.item_id, run.rule_id, run.rule_title, run.rule_kind, run.stage_id, run.entry_id,
            run.position, run.execution.value, run.depth, run.state.value, ts(run.due_at),
            ts(run.created_at), ts(run.finished_at), run.reason_code,
            json.dumps(run.reason_params, ensure_ascii=False),
            json.dumps(run.result, ensure_ascii=False))


def _changed(run: RuleRun) -> tuple[Any, ...]:
    return (run.state.value, ts(run.due_at), ts(run.started_at), ts(run.finished_at),
            run.reason_code, json.dumps(run.reason_params, ensure_ascii=False), int(run.late),
            json.dumps(run.result, ensure_ascii=False), run.id)


def _entry(row: Any) -> StageEntry:
    return StageEntry(id=row["id"], item_id=row["item_id"], stage_id=row["to_stage_id"],
                      from_stage_id=row["from_stage_id"], at=parse_ts_required(row["at"]))


class RunRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _runs(self, sql: str, args: Iterable[Any] = ()) -> list[RuleRun]:
        rows = await self._conn.execute_fetchall(sql, tuple(args))
        return [_run(r) for r in rows]

    async def add(self, run: RuleRun) -> RuleRun:
        run.id = await insert_id(self._conn, _INSERT + " RETURNING id", _new(run))
        return run

    async def add_many(self, runs: list[RuleRun]) -> None:
        """Writes the runs in one statement (their ids stay 0: a stage's planning needs none)."""
        await self._conn.executemany(_INSERT, [_new(run) for run in runs])

    async def save(self, run: RuleRun) -> None:
        await self._conn.execute(_UPDATE, _changed(run))

    async def save_many(self, runs: list[RuleRun]) -> None:
        if runs:
            await self._conn.executemany(_UPDATE, [_changed(run) for run in runs])

    async def get(self, run_id: int) -> RuleRun | None:
        found = await self._runs("SELECT * FROM rule_runs WHERE id = ?", (run_id,))
        return found[0] if found else None

    async def get_many(self, run_ids: list[int]) -> list[RuleRun]:
        """The runs in the order of `run_ids` (missing ones left out)."""
        marks = placeholders(run_ids)
        found = {r.id: r for r in await self._runs(
            f"SELECT * FROM rule_runs WHERE id IN ({marks})", run_ids)}
        return [found[i] for i in run_ids if i in found]

    async def for_entry(self, entry_id: int) -> list[RuleRun]:
        return await self._runs(
            "SELECT * FROM rule_runs WHERE entry_id = ? ORDER BY position, id", (entry_id,))

    async def for_item(self, item_id: int, limit: int = 100) -> list[RuleRun]:
        """The item's latest runs, oldest first."""
        runs = await self._runs(
            "SELECT * FROM rule_runs WHERE item_id = ? ORDER BY id DESC LIMIT ?", (item_id, limit))
        return sorted(runs, key=lambda r: (r.entry_id, r.position, r.id))

    async def due_ids(self, now: datetime, limit: int) -> list[int]:
        rows = await self._conn.execute_fetchall(
            "SELECT id FROM rule_runs WHERE state = 'pending'"
            " OR (state = 'waiting' AND due_at <= ?) ORDER BY due_at, id LIMIT ?",
            (ts(now), limit))
        return [int(r[0]) for r in rows]

    async def next_due(self) -> datetime | None:
        rows = await self._conn.execute_fetchall(  # two index look-ups, not a range scan
            "SELECT MIN(m) FROM (SELECT MIN(due_at) AS m FROM rule_runs WHERE state = 'waiting'"
            " UNION ALL SELECT MIN(due_at) FROM rule_runs WHERE state = 'pending') AS due")
        return parse_ts(next(iter(rows))[0])

    async def open_for_item(self, item_id: int) -> list[RuleRun]:
        return await self._runs(f"SELECT * FROM rule_runs WHERE item_id = ? AND state IN {_IN}",
                                (item_id, *_OPEN_STATES))

    async def open_for_rule(self, rule_id: int) -> list[RuleRun]:
        return await self._runs(f"SELECT * FROM rule_runs WHERE rule_id = ? AND state IN {_IN}",
                                (rule_id, *_OPEN_STATES))

    async def open_for_entry(self, entry_id: int) -> list[RuleRun]:
        return await self._runs(
            f"SELECT * FROM rule_runs WHERE entry_id = ? AND state IN {_IN} ORDER BY position",
            (entry_id, *_OPEN_STATES))

    async def exists(self, rule_id: int, entry_id: int) -> bool:
        rows = await self._conn.execute_fetchall(
            "SELECT 1 FROM rule_runs WHERE rule_id = ? AND entry_id = ?", (rule_id, entry_id))
        return bool(list(rows))

    async def latest_entry(self, item_id: int) -> StageEntry | None:
        """The item's current stage entry: its newest stage_history row."""
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM stage_history WHERE item_id = ? ORDER BY id DESC LIMIT 1", (item_id,))
        row = next(iter(rows), None)
        if row is None:
            return None
        return StageEntry(id=row["id"], item_id=row["item_id"], stage_id=row["to_stage_id"],
                          from_stage_id=row["from_stage_id"], at=parse_ts_required(row["at"]))

    async def current_counts(self, item_id: int) -> tuple[dict[RunState, int], datetime | None]:
        """Runs of the item's current stage entry per state, and the next due time."""
        rows = await self._conn.execute_fetchall(
            """SELECT state, COUNT(*), MIN(CASE WHEN state = 'waiting' THEN due_at END)
               FROM rule_runs WHERE entry_id = (SELECT MAX(id) FROM stage_history
                                                WHERE item_id = ?)
               GROUP BY state""", (item_id,))
        counts = {RunState(r[0]): int(r[1]) for r in rows}
        due = [parse_ts_required(r[2]) for r in rows if r[2]]
        return counts, min(due) if due else None

    async def settling(self, item_id: int) -> bool:
        """Whether rules of the item's current stage entry run right now: one is pending (the
        run worker's next pass executes it), or one delivers its messages while a rule after
        it waits for it (and may change the item next)."""
        rows = await self._conn.execute_fetchall(
            """SELECT EXISTS (SELECT 1 FROM rule_runs WHERE entry_id = e.id AND state = 'pending')
                      OR (EXISTS (SELECT 1 FROM rule_runs WHERE entry_id = e.id
                                                            AND state = 'running')
                          AND EXISTS (SELECT 1 FROM rule_runs WHERE entry_id = e.id
                                                               AND state = 'waiting_previous'))
               FROM (SELECT MAX(id) AS id FROM stage_history WHERE item_id = ?) e""",
            (item_id,))
        return bool(next(iter(rows))[0])

    async def failed_in_current(self, item_ids: list[int]) -> set[int]:
        """Which of the items have a failed run in their current stage entry (the board's
        mark), in one read."""
        if not item_ids:
            return set()
        rows = await self._conn.execute_fetchall(
            f"""SELECT h.item_id FROM stage_history h
                WHERE h.id IN (SELECT MAX(id) FROM stage_history
                               WHERE item_id IN ({placeholders(item_ids)}) GROUP BY item_id)
                  AND EXISTS (SELECT 1 FROM rule_runs r
                              WHERE r.entry_id = h.id AND r.state = ?)""",
            [*item_ids, RunState.FAILED.value])
        return {int(r[0]) for r in rows}

    async def current_entries_and_stops(self, item_ids: list[int]
                                        ) -> dict[int, tuple[StageEntry, str | None]]:
        """Each item's current stage entry and, when its automation was stopped there, by whom;
        in one read (items without entries left out)."""
        marks = placeholders(item_ids)
        rows = await self._conn.execute_fetchall(
            f"""SELECT h.*, s.entry_id AS stopped, st.name AS stopped_by
                FROM stage_history h
                LEFT JOIN automation_stops s ON s.entry_id = h.id
                LEFT JOIN staff st ON st.user_id = s.stopped_by
                WHERE h.id IN (SELECT MAX(id) FROM stage_history
                               WHERE item_id IN ({marks}) GROUP BY item_id)""", item_ids)
        return {r["item_id"]: (_entry(r), (r["stopped_by"] or "?") if r["stopped"] else None)
                for r in rows}

    async def clients_connected(self, item_ids: list[int]) -> set[int]:
        """Those of the items whose client has a chat now. The clients stay as read until
        the transaction ends, so one connecting meanwhile is either seen here or sees what
        this transaction wrote (rules/services/reconnect)."""
        rows = await self._conn.execute_fetchall(
            f"SELECT i.id, c.tg_chat_id FROM items i JOIN contacts c ON c.id = i.contact_id"
            f" WHERE i.id IN ({placeholders(item_ids)}){self._conn.dialect.shared_lock('c')}",
            item_ids)
        return {int(r["id"]) for r in rows if r["tg_chat_id"] is not None}

    async def current_entries(self, stage_id: int) -> list[StageEntry]:
        """The current entry of every item now in `stage_id` (for applying a new rule)."""
        rows = await self._conn.execute_fetchall(
            """SELECT h.* FROM items i JOIN stage_history h ON h.id = (
                   SELECT MAX(id) FROM stage_history WHERE item_id = i.id)
               WHERE i.stage_id = ? ORDER BY i.id""", (stage_id,))
        return [StageEntry(id=r["id"], item_id=r["item_id"], stage_id=r["to_stage_id"],
                           from_stage_id=r["from_stage_id"], at=parse_ts_required(r["at"]))
                for r in rows]

    async def add_stop(self, stop: AutomationStop) -> bool:
        cur = await self._conn.execute(
            "INSERT INTO automation_stops (item_id, entry_id, stage_id, stopped_by,"
            " stopped_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (stop.item_id, stop.entry_id, stop.stage_id, stop.stopped_by, ts(stop.stopped_at)))
        return cur.rowcount == 1

    async def stop_of(self, entry_id: int) -> AutomationStop | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM automation_stops WHERE entry_id = ?", (entry_id,))
        row = next(iter(rows), None)
        if row is None:
            return None
        return AutomationStop(item_id=row["item_id"], entry_id=row["entry_id"],
                              stage_id=row["stage_id"], stopped_by=row["stopped_by"],
                              stopped_at=parse_ts_required(row["stopped_at"]))
