"""What the morning digest reads about one salesperson's items."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crm.storage.codec import parse_ts_required
from crm.storage.connection import Connection


@dataclass(slots=True)
class FailedRun:
    rule_title: str
    rule_kind: str
    reason_code: str | None
    reason_params: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class DigestItem:
    item_id: int
    title: str
    stage_id: int
    stage_entered_at: datetime
    failed: list[FailedRun] = field(default_factory=list)


class DigestRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def failed_automation(self, user_id: int, limit: int = 10) -> list[DigestItem]:
        """Open items of `user_id` where a rule of their current stage entry failed."""
        rows = await self._conn.execute_fetchall(
            """SELECT i.id, i.title, i.stage_id, i.stage_entered_at, r.rule_title,
                      r.rule_kind, r.reason_code, r.reason_params
               FROM items i JOIN rule_runs r ON r.item_id = i.id
               WHERE i.responsible_id = ? AND i.closed = 0 AND r.state = 'failed'
                 AND r.entry_id = (SELECT MAX(h.id) FROM stage_history h
                                   WHERE h.item_id = i.id)
               ORDER BY i.id, r.position""", (user_id,))
        found: dict[int, DigestItem] = {}
        for row in rows:
            item = found.get(row[0])
            if item is None:
                if len(found) == limit:
                    continue
                item = found[row[0]] = DigestItem(row[0], row[1], row[2], parse_ts_required(row[3]))
            item.failed.append(FailedRun(row[4], row[5], row[6], json.loads(row[7] or "{}")))
        return list(found.values())

    async def waiting_longest(self, user_id: int, limit: int = 5) -> list[DigestItem]:
        """Open items of `user_id`, those longest in their stage first."""
        rows = await self._conn.execute_fetchall(
            "SELECT id, title, stage_id, stage_entered_at FROM items"
            " WHERE responsible_id = ? AND closed = 0 ORDER BY stage_entered_at, id LIMIT ?",
            (user_id, limit))
        return [DigestItem(r[0], r[1], r[2], parse_ts_required(r[3])) for r in rows]
