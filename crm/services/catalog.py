"""Entity types, pipelines and stages: reading them, and the admin's changes to them."""

from __future__ import annotations

import re

from crm.access import require_settings_right
from crm.errors import Conflict, Entity, InputProblem, InvalidInput, NotFound
from crm.models import CrmMode, EntityType, Pipeline, Staff, Stage, StageKind
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

MAX_NAME = 60
# Stages a new pipeline or smart process gets when none are named: (en, de, kind).
DEFAULT_STAGES = [
    ("New", "Neu", StageKind.PROGRESS),
    ("In progress", "In Bearbeitung", StageKind.PROGRESS),
    ("Done", "Erledigt", StageKind.SUCCESS),
    ("Cancelled", "Abgebrochen", StageKind.FAILURE),
]


def _clean_name(name: str) -> str:
    name = one_line(name)
    if not name or len(name) > MAX_NAME:
        raise InvalidInput(field="name", value=name)
    return name


class CatalogService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def _cached_rows(self) -> UnitOfWork:
        """A read of the catalog alone: its rows are kept in memory (CatalogRepo), so it
        needs no transaction, only the catalog's version (one trip to the database instead
        of a BEGIN, the version and a ROLLBACK). A row not kept yet is read on its own."""
        return self._uow(write=False, atomic=False)

    async def mode(self) -> CrmMode:
        async with self._cached_rows() as uow:
            return await current_mode(uow)

    async def types(self, include_hidden: bool = False) -> list[EntityType]:
        """Entity types to offer; leads are hidden in simple mode."""
        async with self._cached_rows() as uow:
            types = await uow.catalog.list_types()
            mode = await current_mode(uow)
        if mode is CrmMode.SIMPLE and not include_hidden:
            types = [t for t in types if t.code != "lead"]
        return types

    async def get_type(self, code: str) -> EntityType:
        async with self._cached_rows() as uow:
            found = await uow.catalog.get_type(code)
        if found is None:
            raise NotFound(what=Entity.TYPE, ref=code)
        return found

    async def pipelines(self, type_code: str) -> list[Pipeline]:
        async with self._cached_rows() as uow:
            return await uow.catalog.list_pipelines(type_code)

    async def pipeline(self, pipeline_id: int) -> tuple[Pipeline, list[Stage]]:
        async with self._cached_rows() as uow:
            pipeline = await uow.catalog.get_pipeline(pipeline_id)
            if pipeline is None:
                raise NotFound(what=Entity.PIPELINE, ref=pipeline_id)
            return pipeline, await uow.catalog.list_stages(pipeline_id)

    async def stage(self, stage_id: int) -> Stage:
        async with self._cached_rows() as uow:
            stage = await uow.catalog.get_stage(stage_id)
        if stage is None:
            raise NotFound(what=Entity.STAGE, ref=stage_id)
        return stage

    async def all_stages(self) -> dict[int, Stage]:
        async with self._cached_rows() as uow:
            return {s.id: s for s in await uow.catalog.all_stages()}

    async def add_pipeline(self, actor: Staff, type_code: str, name: str) -> Pipeline:
        require_settings_right(actor)
        name = _clean_name(name)
        async with self._uow() as uow:
            if await uow.catalog.get_type(type_code) is None:
                raise NotFound(what=Entity.TYPE, ref=type_code)
            existing = await uow.catalog.list_pipelines(type_code)
            if any(name.lower() in (p.name_en.lower(), p.name_de.lower()) for p in existing):
                raise Conflict(what=Entity.PIPELINE, ref=name)
            pipeline = await uow.catalog.add_pipeline(type_code, name, name)
            await _add_default_stages(uow, pipeline.id)
            await uow.commit()
        return pipeline

    async def add_smart_type(self, actor: Staff, name: str, stage_names: list[str]) -> EntityType:
        """A process type of the admin's own, with one pipeline and the given stages.
        A stage written `Name:success` or `Name:failure` gets that kind."""
        require_settings_right(actor)
        name = _clean_name(name)
        code = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:24] or "process"
        stages = [_parse_stage_spec(s) for s in stage_names if s.strip()]
        async with self._uow() as uow:
            if await uow.catalog.get_type(code) is not None:
                raise Conflict(what=Entity.TYPE, ref=name)
            entity_type = await uow.catalog.add_type(code, name, name)
            pipeline = await uow.catalog.add_pipeline(code, "General", "Allgemein")
            if stages:
                for stage_name, kind in stages:
                    await uow.catalog.add_stage(pipeline.id, stage_name, stage_name, kind)
            else:
                await _add_default_stages(uow, pipeline.id)
            await uow.commit()
        return entity_type

    async def add_stage(
        self, actor: Staff, pipeline_id: int, name: str, kind: StageKind = StageKind.PROGRESS
    ) -> Stage:
        require_settings_right(actor)
        name = _clean_name(name)
        async with self._uow() as uow:
            if await uow.catalog.get_pipeline(pipeline_id) is None:
                raise NotFound(what=Entity.PIPELINE, ref=pipeline_id)
            stage = await uow.catalog.add_stage(pipeline_id, name, name, kind)
            await uow.commit()
        return stage

    async def rename_stage(self, actor: Staff, stage_id: int, name: str) -> Stage:
        require_settings_right(actor)
        name = _clean_name(name)
        async with self._uow() as uow:
            stage = await _stage(uow, stage_id)
            stage.name_en = stage.name_de = name
            await uow.catalog.update_stage(stage)
            await uow.commit()
        return stage

    async def set_stage_kind(self, actor: Staff, stage_id: int, kind: StageKind) -> Stage:
        require_settings_right(actor)
        async with self._uow() as uow:
            stage = await _stage(uow, stage_id)
            stages = await uow.catalog.list_stages(stage.pipeline_id)
            if stages[0].id == stage.id and kind is not StageKind.PROGRESS:
                raise InvalidInput(field="first_stage_kind", value=kind.value,
                                   problem=InputProblem.FIRST_STAGE_KIND)
            stage.kind = kind
            await uow.catalog.update_stage(stage)
            await uow.commit()
        return stage

    async def move_stage(self, actor: Staff, stage_id: int, offset: int) -> list[Stage]:
        """Moves a stage up (-1) or down (+1) in its pipeline; returns the new order."""
        require_settings_right(actor)
        async with self._uow() as uow:
            stage = await _stage(uow, stage_id)
            stages = await uow.catalog.list_stages(stage.pipeline_id)
            index = next(i for i, s in enumerate(stages) if s.id == stage_id)
            target = index + offset
            if not 0 <= target < len(stages):
                raise InvalidInput(field="stage_position", value=target + 1,
                                   problem=InputProblem.STAGE_POSITION)
            stages.insert(target, stages.pop(index))
            if stages[0].kind is not StageKind.PROGRESS:
                raise InvalidInput(field="first_stage_kind", value=stages[0].kind.value,
                                   problem=InputProblem.FIRST_STAGE_KIND)
            for position, s in enumerate(stages, start=1):
                s.position = position
                await uow.catalog.update_stage(s)
            await uow.commit()
        return stages


async def current_mode(uow: UnitOfWork) -> CrmMode:
    return await uow.catalog.mode()


async def _stage(uow: UnitOfWork, stage_id: int) -> Stage:
    stage = await uow.catalog.get_stage(stage_id)
    if stage is None:
        raise NotFound(what=Entity.STAGE, ref=stage_id)
    return stage


async def _add_default_stages(uow: UnitOfWork, pipeline_id: int) -> None:
    for name_en, name_de, kind in DEFAULT_STAGES:
        await uow.catalog.add_stage(pipeline_id, name_en, name_de, kind)


def _parse_stage_spec(spec: str) -> tuple[str, StageKind]:
    name, _, kind = spec.partition(":")
    try:
        stage_kind = StageKind(kind.strip().lower()) if kind.strip() else StageKind.PROGRESS
    except ValueError as exc:
        raise InvalidInput(field="stage_kind", value=kind) from exc
    return _clean_name(name), stage_kind
