"""Managing triggers: list, add and delete, for holders of the settings right."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.access import require_settings_right
from crm.clock import Clock
from crm.errors import Conflict, Entity, InputProblem, InvalidInput, NotFound
from crm.models import EntityType, Pipeline, Staff, Stage
from crm.services.item_edits import check_field, parse_value
from crm.services.stage_match import match_stage
from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.storage.unit import repos
from rules.triggers.model import Trigger, TriggerEvent


@dataclass(frozen=True, slots=True)
class TriggerDetails:
    """What a trigger may say beyond its event: the field a FIELD_CHANGED trigger watches
    (title, amount, currency, probability, custom.<name>) and the value it must change to
    (typed: it is read as the field reads it), and a condition tree (parse_condition)."""

    field: str | None = None
    value: str | None = None
    condition: dict[str, Any] | None = None

    def checked(self, event: TriggerEvent) -> TriggerDetails:
        """The details as stored: a field only for FIELD_CHANGED (and required there), its
        value in the field's stored form."""
        if event is not TriggerEvent.FIELD_CHANGED:
            return TriggerDetails(condition=self.condition or None)
        if self.field is None:
            raise InvalidInput(field="field", value="", problem=InputProblem.UNKNOWN_FIELD)
        field = check_field(self.field)
        value = None
        if self.value is not None and self.value.strip():
            parsed = parse_value(field, self.value).value
            value = None if parsed is None else str(parsed)
        return TriggerDetails(field, value, self.condition or None)


@dataclass(frozen=True, slots=True)
class TriggerView:
    trigger: Trigger
    stage: Stage
    pipeline: Pipeline
    entity_type: EntityType


class TriggerAdmin:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def list(self, actor: Staff, type_code: str | None = None) -> list[TriggerView]:
        """Every trigger (of one entity type), by type, pipeline and stage."""
        require_settings_right(actor)
        found: list[TriggerView] = []
        async with self._uow(write=False) as uow:
            if type_code is not None and await uow.catalog.get_type(type_code) is None:
                raise NotFound(what=Entity.TYPE, ref=type_code)
            for entity_type in await uow.catalog.list_types():
                if type_code is not None and entity_type.code != type_code:
                    continue
                for pipeline in await uow.catalog.list_pipelines(entity_type.code):
                    stages = {s.id: s for s in await uow.catalog.list_stages(pipeline.id)}
                    found += [TriggerView(t, stages[t.stage_id], pipeline, entity_type)
                              for t in await repos(uow).triggers.for_pipeline(pipeline.id)]
        return found

    async def add(self, actor: Staff, stage_id: int, event: TriggerEvent,
                  backwards: bool = False, details: TriggerDetails | None = None) -> Trigger:
        """`details`: the field (and value) of a FIELD_CHANGED trigger, any trigger's
        condition. Raises InvalidInput for an unknown field or a value that does not fit it,
        Conflict for a trigger the stage has already."""
        require_settings_right(actor)
        details = (details or TriggerDetails()).checked(event)
        async with self._uow() as uow:
            if await uow.catalog.get_stage(stage_id) is None:
                raise NotFound(what=Entity.STAGE, ref=stage_id)
            repo = repos(uow).triggers
            stage_triggers = await repo.for_stage(stage_id)
            if any(t.event is event and (t.field, t.value, t.condition)
                   == (details.field, details.value, details.condition)
                   for t in stage_triggers):
                raise Conflict(what=Entity.TRIGGER, ref=event.value)
            trigger = await repo.add(Trigger(0, stage_id, event, backwards, actor.user_id,
                                             self._clock.now(), details.field, details.value,
                                             details.condition))
            await uow.commit()
        return trigger

    async def add_named(self, actor: Staff, type_ref: str, stage_ref: str, event: TriggerEvent,
                        backwards: bool = False, details: TriggerDetails | None = None
                        ) -> TriggerView:
        """As `add`, the stage named as people write it: a type code (`deal`, or `deal:2`
        for its second pipeline) and a stage's code, name or position."""
        require_settings_right(actor)
        code, _sep, number = type_ref.strip().lower().partition(":")
        async with self._uow(write=False) as uow:
            entity_type = await uow.catalog.get_type(code)
            pipelines = await uow.catalog.list_pipelines(code)
            if entity_type is None or not pipelines:
                raise NotFound(what=Entity.TYPE, ref=type_ref)
            if number:
                if not number.isdigit() or not 1 <= int(number) <= len(pipelines):
                    raise NotFound(what=Entity.PIPELINE, ref=type_ref)
                pipeline = pipelines[int(number) - 1]
            else:
                pipeline = next((p for p in pipelines if p.is_default), pipelines[0])
            stage = match_stage(await uow.catalog.list_stages(pipeline.id), stage_ref)
        trigger = await self.add(actor, stage.id, event, backwards, details)
        return TriggerView(trigger, stage, pipeline, entity_type)

    async def delete(self, actor: Staff, trigger_id: int) -> Trigger:
        require_settings_right(actor)
        async with self._uow() as uow:
            repo = repos(uow).triggers
            trigger = await repo.get(trigger_id)
            if trigger is None:
                raise NotFound(what=Entity.TRIGGER, ref=trigger_id)
            await repo.delete(trigger_id)
            await uow.commit()
        return trigger
