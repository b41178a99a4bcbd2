"""Rules as rows: one stage's ordered list, and the changes admins make to it."""

from __future__ import annotations

import json
from typing import Any

from crm.storage.codec import parse_ts, placeholders, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from rules.model import Execution, Rule, Timing


def _rule(row: Any) -> Rule:
    return Rule(
        id=row["id"],
        type_code=row["type_code"],
        pipeline_id=row["pipeline_id"],
        stage_id=row["stage_id"],
        position=row["position"],
        title=row["title"],
        kind=row["kind"],
        params=json.loads(row["params"]),
        execution=Execution(row["execution"]),
        timing=Timing.model_validate_json(row["timing"]),
        condition=json.loads(row["condition"]) if row["condition"] else None,
        enabled=bool(row["enabled"]),
        origin=row["origin"],
        created_by=row["created_by"],
        created_at=parse_ts(row["created_at"]),
        updated_at=parse_ts(row["updated_at"]),
    )


def _columns(rule: Rule) -> tuple[Any, ...]:
    return (
        rule.type_code, rule.pipeline_id, rule.stage_id, rule.position, rule.title, rule.kind,
        json.dumps(rule.params, ensure_ascii=False), rule.execution.value,
        rule.timing.model_dump_json(exclude_defaults=True),
        json.dumps(rule.condition, ensure_ascii=False) if rule.condition else None,
        int(rule.enabled), rule.origin, rule.created_by, ts(rule.created_at), ts(rule.updated_at),
    )


class RuleRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, rule_id: int) -> Rule | None:
        rows = await self._conn.execute_fetchall("SELECT * FROM rules WHERE id = ?", (rule_id,))
        return next((_rule(r) for r in rows), None)

    async def by_ids(self, rule_ids: list[int]) -> dict[int, Rule]:
        marks = placeholders(rule_ids)
        rows = await self._conn.execute_fetchall(
            f"SELECT * FROM rules WHERE id IN ({marks})", rule_ids)
        return {r["id"]: _rule(r) for r in rows}

    async def version_and_entry(self, item_id: int) -> tuple[int, int | None]:
        """The rules' version (moved by every change to them, migration 013) and the item's
        current stage entry, in one read: what planning a move needs to know first."""
        rows = await self._conn.execute_fetchall(
            "SELECT (SELECT value FROM app_settings WHERE key = 'rules_version'),"
            " (SELECT MAX(id) FROM stage_history WHERE item_id = ?)", (item_id,))
        version, entry_id = next(iter(rows))
        return int(version or 0), entry_id

    async def for_stage(self, stage_id: int) -> list[Rule]:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM rules WHERE stage_id = ? ORDER BY position, id", (stage_id,))
        return [_rule(r) for r in rows]

    async def for_pipeline(self, pipeline_id: int) -> list[Rule]:
        rows = await self._conn.execute_fetchall(
            "SELECT r.* FROM rules r JOIN stages s ON s.id = r.stage_id"
            " WHERE r.pipeline_id = ? ORDER BY s.position, r.position, r.id", (pipeline_id,))
        return [_rule(r) for r in rows]

    async def all(self) -> list[Rule]:
        rows = await self._conn.execute_fetchall(
            "SELECT r.* FROM rules r JOIN stages s ON s.id = r.stage_id"
            " JOIN pipelines p ON p.id = r.pipeline_id"
            " ORDER BY r.type_code, p.position, s.position, r.position, r.id")
        return [_rule(r) for r in rows]

    async def by_origin(self, origin: str) -> Rule | None:
        rows = await self._conn.execute_fetchall("SELECT * FROM rules WHERE origin = ?", (origin,))
        return next((_rule(r) for r in rows), None)

    async def count_per_stage(self) -> dict[int, int]:
        rows = await self._conn.execute_fetchall(
            "SELECT stage_id, COUNT(*) FROM rules GROUP BY stage_id")
        return {int(r[0]): int(r[1]) for r in rows}

    async def next_position(self, stage_id: int) -> int:
        rows = await self._conn.execute_fetchall(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM rules WHERE stage_id = ?", (stage_id,))
        return int(next(iter(rows))[0])

    async def add(self, rule: Rule) -> Rule:
        rule.id = await insert_id(
            self._conn,
            """INSERT INTO rules (type_code, pipeline_id, stage_id, position, title, kind, params,
                 execution, timing, condition, enabled, origin, created_by, created_at,
                 updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            _columns(rule))
        return rule

    async def save(self, rule: Rule) -> None:
        await self._conn.execute(
            """UPDATE rules SET type_code = ?, pipeline_id = ?, stage_id = ?, position = ?,
                 title = ?, kind = ?, params = ?, execution = ?, timing = ?, condition = ?,
                 enabled = ?, origin = ?, created_by = ?, created_at = ?, updated_at = ?
               WHERE id = ?""",
            (*_columns(rule), rule.id))

    async def delete(self, rule_id: int) -> None:
        await self._conn.execute("DELETE FROM rules WHERE id = ?", (rule_id,))

    async def renumber(self, stage_id: int, ordered_ids: list[int]) -> None:
        """Positions 1..n in the given order (the stage's complete list of rule ids)."""
        for position, rule_id in enumerate(ordered_ids, start=1):
            await self._conn.execute(
                "UPDATE rules SET position = ? WHERE id = ? AND stage_id = ?",
                (position, rule_id, stage_id))
