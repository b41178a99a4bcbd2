"""Triggers on stages, and the buttons rules gave clients."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from crm.storage.codec import parse_ts, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from rules.triggers.model import ClientButton, Trigger, TriggerEvent


def _trigger(row: Any) -> Trigger:
    return Trigger(id=row["id"], stage_id=row["stage_id"], event=TriggerEvent(row["event"]),
                   backwards=bool(row["backwards"]), created_by=row["created_by"],
                   created_at=parse_ts(row["created_at"]), field=row["field"],
                   value=row["value"],
                   condition=json.loads(row["condition"]) if row["condition"] else None)


class TriggerRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, trigger: Trigger) -> Trigger:
        trigger.id = await insert_id(
            self._conn,
            "INSERT INTO triggers (stage_id, event, backwards, field, value, condition,"
            " created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (trigger.stage_id, trigger.event.value, int(trigger.backwards), trigger.field,
             trigger.value, json.dumps(trigger.condition, ensure_ascii=False)
             if trigger.condition else None, trigger.created_by, ts(trigger.created_at)))
        return trigger

    async def get(self, trigger_id: int) -> Trigger | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM triggers WHERE id = ?", (trigger_id,))
        return next((_trigger(r) for r in rows), None)

    async def delete(self, trigger_id: int) -> bool:
        cur = await self._conn.execute("DELETE FROM triggers WHERE id = ?", (trigger_id,))
        return cur.rowcount == 1

    async def for_stage(self, stage_id: int) -> list[Trigger]:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM triggers WHERE stage_id = ? ORDER BY id", (stage_id,))
        return [_trigger(r) for r in rows]

    async def for_pipeline(self, pipeline_id: int, event: TriggerEvent | None = None
                           ) -> list[Trigger]:
        """The pipeline's triggers (of one event), in stage order."""
        rows = await self._conn.execute_fetchall(
            "SELECT t.* FROM triggers t JOIN stages s ON s.id = t.stage_id"
            " WHERE s.pipeline_id = ? AND (CAST(? AS TEXT) IS NULL OR t.event = ?)"
            " ORDER BY s.position, t.id",
            (pipeline_id, event and event.value, event and event.value))
        return [_trigger(r) for r in rows]


def _button(row: Any) -> ClientButton:
    return ClientButton(
        token=row["token"], item_id=row["item_id"], chat_id=row["chat_id"],
        stage_id=row["stage_id"], label=row["label"], backwards=bool(row["backwards"]),
        run_id=row["run_id"], created_at=parse_ts(row["created_at"]),
        pressed_at=parse_ts(row["pressed_at"]), entry_id=row["entry_id"], offer=row["offer"])


class ClientButtonRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, button: ClientButton) -> None:
        await self._conn.execute(
            "INSERT INTO client_buttons (token, item_id, chat_id, stage_id, label, backwards,"
            " run_id, created_at, entry_id, offer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (button.token, button.item_id, button.chat_id, button.stage_id, button.label,
             int(button.backwards), button.run_id, ts(button.created_at), button.entry_id,
             button.offer))

    async def get(self, token: int) -> ClientButton | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM client_buttons WHERE token = ?", (token,))
        return next((_button(r) for r in rows), None)

    async def take_offer(self, button: ClientButton, at: datetime) -> bool:
        """Marks the button pressed unless it or another button of its message was pressed
        before: True for the one press that acts."""
        cur = await self._conn.execute(
            "UPDATE client_buttons SET pressed_at = ? WHERE token = ? AND pressed_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM client_buttons o WHERE o.offer = ?"
            " AND o.pressed_at IS NOT NULL)",
            (ts(at), button.token, button.offer))
        return cur.rowcount == 1
