"""Migrations that change shipped rules: a database migrated up to just before one, holding
rules of that kind, then opened (which migrates it the rest of the way). SQLite's only: a
PostgreSQL database begins at the baseline (029), after every migration these are about."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from crm.storage.database import Database
from tests.databases import first_deal_stage, sqlite_before


async def conditions_after(path: Path, before: int, kind: str,
                           rules: list[tuple[str | None, dict[str, Any]]]
                           ) -> list[tuple[str | None, dict[str, Any]]]:
    """`rules` (origin, condition) stored on the first deal stage of a database at
    migration `before - 1`; returns them (origin, condition) once the database is opened."""
    conn = sqlite_before(path, before)
    stage, pipeline = first_deal_stage(conn)
    for position, (origin, condition) in enumerate(rules, start=1):
        conn.execute("INSERT INTO rules (type_code, pipeline_id, stage_id, position, title,"
                     " kind, condition, origin, created_at, updated_at) VALUES ('deal', ?, ?,"
                     " ?, 'Shipped', ?, ?, ?, 'x', 'x')",
                     (pipeline, stage, position, kind, json.dumps(condition), origin))
    conn.commit()
    conn.close()
    db = Database(path)
    await db.open()
    try:
        found = await db.conn.execute_fetchall(
            "SELECT origin, condition FROM rules ORDER BY position")
    finally:
        await db.close()
    return [(origin, json.loads(condition)) for origin, condition in found]
