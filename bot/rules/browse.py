"""What the /rules screens show, read from the services: types, pipelines and stages with how
many rules each has, a stage with its rules in order, one rule where it sits.

Every function starts with a rules service call, which checks the settings right.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.container import CrmServices
from crm.errors import Entity, NotFound
from crm.models import EntityType, Pipeline, Staff, Stage
from rules.container import Automation
from rules.model import Rule


@dataclass(frozen=True, slots=True)
class StageView:
    entity_type: EntityType | None
    pipeline: Pipeline
    stage: Stage
    rules: list[Rule]

    def number_of(self, rule_id: int) -> int:
        return next((n for n, r in enumerate(self.rules, start=1) if r.id == rule_id), 0)


async def type_counts(services: CrmServices, automation: Automation, staff: Staff
                      ) -> list[tuple[EntityType, int]]:
    counts = await automation.rules.counts(staff)
    stages = await services.catalog.all_stages()
    rows = []
    for entity_type in await services.catalog.types():
        pipeline_ids = {p.id for p in await services.catalog.pipelines(entity_type.code)}
        rows.append((entity_type, sum(n for stage_id, n in counts.items()
                                      if stage_id in stages
                                      and stages[stage_id].pipeline_id in pipeline_ids)))
    return rows


async def type_at(services: CrmServices, position: int) -> EntityType:
    found = next((t for t in await services.catalog.types() if t.position == position), None)
    if found is None:
        raise NotFound(what=Entity.TYPE, ref=position)
    return found


async def pipeline_counts(services: CrmServices, automation: Automation, staff: Staff,
                          type_code: str) -> list[tuple[Pipeline, int]]:
    counts = await automation.rules.counts(staff)
    stages = await services.catalog.all_stages()
    return [(p, sum(n for s, n in counts.items() if s in stages and stages[s].pipeline_id == p.id))
            for p in await services.catalog.pipelines(type_code)]


async def stage_counts(services: CrmServices, automation: Automation, staff: Staff,
                       pipeline_id: int) -> tuple[EntityType, Pipeline, list[tuple[Stage, int]]]:
    counts = await automation.rules.counts(staff)
    pipeline, stages = await services.catalog.pipeline(pipeline_id)
    entity_type = await services.catalog.get_type(pipeline.type_code)
    return entity_type, pipeline, [(s, counts.get(s.id, 0)) for s in stages]


async def stage_view(services: CrmServices, automation: Automation, staff: Staff,
                     stage_id: int) -> StageView:
    rules = await automation.rules.for_stage(staff, stage_id)
    stage = await services.catalog.stage(stage_id)
    pipeline, _stages = await services.catalog.pipeline(stage.pipeline_id)
    entity_type = await services.catalog.get_type(pipeline.type_code)
    return StageView(entity_type, pipeline, stage, rules)


async def rule_view(services: CrmServices, automation: Automation, staff: Staff,
                    rule_id: int) -> tuple[Rule, StageView]:
    rule = await automation.rules.get(staff, rule_id)
    return rule, await stage_view(services, automation, staff, rule.stage_id)
