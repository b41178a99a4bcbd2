"""Entity types, pipelines and stages: the shape of every process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from crm.models import CrmMode, EntityType, Pipeline, Stage, StageKind
from crm.storage.codec import storable
from crm.storage.connection import Connection
from crm.storage.repos import RowCache, SharedRows, insert_id


def _type(row: Any) -> EntityType:
    return EntityType(
        code=row["code"],
        name_en=row["name_en"],
        name_de=row["name_de"],
        is_smart=bool(row["is_smart"]),
        position=row["position"],
    )


def _pipeline(row: Any) -> Pipeline:
    return Pipeline(
        id=row["id"],
        type_code=row["type_code"],
        name_en=row["name_en"],
        name_de=row["name_de"],
        position=row["position"],
        is_default=bool(row["is_default"]),
    )


def _stage(row: Any) -> Stage:
    return Stage(
        id=row["id"],
        pipeline_id=row["pipeline_id"],
        code=row["code"],
        name_en=row["name_en"],
        name_de=row["name_de"],
        kind=StageKind(row["kind"]),
        position=row["position"],
    )


class CatalogRepo:
    """Reads are cached (see RowCache; `shared` is the database's catalog cache): the
    catalog changes only through this repository's writes, and rarely, while every card,
    list and move reads it (a conversion of thousands of leads reads the same few stages
    for every lead)."""

    def __init__(self, conn: Connection, shared: SharedRows | None = None,
                 version: Callable[[], Awaitable[int]] | None = None) -> None:
        self._conn = conn
        self._cache = RowCache(shared, version)

    def committed(self) -> None:
        """Its unit of work committed: a write of its own now stales the shared rows."""
        self._cache.committed()

    async def _cached(self, key: tuple[Any, ...], sql: str, args: tuple[Any, ...] = ()) -> Any:
        return await self._cache.get(key, lambda: self._all(sql, args))

    def _writing(self) -> None:
        self._cache.writing()

    # execute_fetchall is one round trip to aiosqlite's thread; a cursor's execute,
    # fetch and close are three (it matters for conversions of thousands of leads).
    async def _all(self, sql: str, args: tuple[Any, ...] = ()) -> list[Any]:
        return list(await self._conn.execute_fetchall(sql, args))

    async def _one(self, sql: str, args: tuple[Any, ...]) -> Any:
        rows = await self._all(sql, args)
        return rows[0] if rows else None

    # the mode, which decides the types offered (kept with them: migration 032)
    async def mode(self) -> CrmMode:
        rows = await self._cached(("mode",), "SELECT value FROM app_settings WHERE key = ?",
                                  ("crm_mode",))
        return CrmMode(rows[0][0]) if rows else CrmMode.SIMPLE

    async def set_mode(self, mode: CrmMode) -> None:
        self._writing()
        await self._conn.execute(
            "INSERT INTO app_settings (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", ("crm_mode", mode.value))

    # entity types
    async def list_types(self) -> list[EntityType]:
        rows = await self._cached(("types",), "SELECT * FROM entity_types ORDER BY position")
        return [_type(r) for r in rows]

    async def get_type(self, code: str) -> EntityType | None:
        rows = await self._cached(("type", code), "SELECT * FROM entity_types WHERE code = ?",
                                  (code,))
        return _type(rows[0]) if rows else None

    async def add_type(self, code: str, name_en: str, name_de: str) -> EntityType:
        self._writing()
        row = await self._one("SELECT COALESCE(MAX(position), 0) + 1 FROM entity_types", ())
        await self._conn.execute(
            "INSERT INTO entity_types (code, name_en, name_de, is_smart, position)"
            " VALUES (?, ?, ?, 1, ?)",
            (code, name_en, name_de, row[0]),
        )
        return EntityType(code, name_en, name_de, True, row[0])

    # pipelines
    async def list_pipelines(self, type_code: str) -> list[Pipeline]:
        rows = await self._cached(
            ("pipelines", type_code),
            "SELECT * FROM pipelines WHERE type_code = ? ORDER BY position", (type_code,)
        )
        return [_pipeline(r) for r in rows]

    async def get_pipeline(self, pipeline_id: int) -> Pipeline | None:
        if not storable(pipeline_id):
            return None
        rows = await self._cached(("pipeline", pipeline_id),
                                  "SELECT * FROM pipelines WHERE id = ?", (pipeline_id,))
        return _pipeline(rows[0]) if rows else None

    async def add_pipeline(self, type_code: str, name_en: str, name_de: str) -> Pipeline:
        self._writing()
        row = await self._one(
            "SELECT COALESCE(MAX(position), 0) + 1, COUNT(*) FROM pipelines WHERE type_code = ?",
            (type_code,),
        )
        position, existing = row[0], row[1]
        pipeline_id = await insert_id(
            self._conn,
            "INSERT INTO pipelines (type_code, name_en, name_de, position, is_default)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (type_code, name_en, name_de, position, int(existing == 0)),
        )
        return Pipeline(pipeline_id, type_code, name_en, name_de, position, existing == 0)

    # stages
    async def list_stages(self, pipeline_id: int) -> list[Stage]:
        rows = await self._cached(
            ("stages", pipeline_id),
            "SELECT * FROM stages WHERE pipeline_id = ? ORDER BY position", (pipeline_id,)
        )
        return [_stage(r) for r in rows]

    async def all_stages(self) -> list[Stage]:
        return [_stage(r) for r in await self._cached(("all_stages",),
                                                       "SELECT * FROM stages ORDER BY id")]

    async def get_stage(self, stage_id: int) -> Stage | None:
        if not storable(stage_id):
            return None
        rows = await self._cached(("stage", stage_id), "SELECT * FROM stages WHERE id = ?",
                                  (stage_id,))
        return _stage(rows[0]) if rows else None

    async def add_stage(
        self, pipeline_id: int, name_en: str, name_de: str, kind: StageKind, code: str | None = None
    ) -> Stage:
        self._writing()
        row = await self._one(
            "SELECT COALESCE(MAX(position), 0) + 1 FROM stages WHERE pipeline_id = ?",
            (pipeline_id,),
        )
        stage_id = await insert_id(
            self._conn,
            "INSERT INTO stages (pipeline_id, code, name_en, name_de, kind, position)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (pipeline_id, code, name_en, name_de, kind.value, row[0]),
        )
        return Stage(stage_id, pipeline_id, code, name_en, name_de, kind, row[0])

    async def update_stage(self, stage: Stage) -> None:
        self._writing()
        await self._conn.execute(
            "UPDATE stages SET name_en = ?, name_de = ?, kind = ?, position = ? WHERE id = ?",
            (stage.name_en, stage.name_de, stage.kind.value, stage.position, stage.id),
        )
