"""Checks a rule before it is saved: where it sits, its kind's settings, its condition and
its template (rendered against a sample item in every language)."""

from __future__ import annotations

from contextlib import suppress
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from crm.errors import Entity, NotFound
from crm.models import Stage
from crm.services.stage_match import match_stage
from crm.storage.unit_of_work import UnitOfWork
from crm.text import one_line
from rules.conditions import validate_tree
from rules.config import EngineConfig
from rules.errors import RuleInvalid
from rules.kinds import CATALOGUE
from rules.kinds.base import AnyRuleKind, Configured, Validation
from rules.model import Rule
from rules.rendering import Renderer
from rules.samples import sample_subject

MAX_TITLE = 80


async def check_rule(uow: UnitOfWork, rule: Rule, renderer: Renderer, now: datetime,
                     config: EngineConfig | None = None) -> Rule:
    """The rule made consistent (scope from its stage, canonical condition, a title);
    raises RuleInvalid, ConditionError, TemplateProblem or NotFound."""
    stage = await stage_of(uow, rule.stage_id)
    pipeline = await uow.catalog.get_pipeline(stage.pipeline_id)
    assert pipeline is not None  # foreign key
    rule.pipeline_id, rule.type_code = pipeline.id, pipeline.type_code
    kind = kind_of(rule.kind)
    configured = parse_params(kind, rule.params)
    rule.params = configured.params.model_dump(exclude_none=True)
    rule.condition = validate_tree(rule.condition)
    rule.title = one_line(rule.title)[:MAX_TITLE] or configured.summary("en")[:MAX_TITLE]

    async def exists(what: str, ref: Any) -> bool:
        if what == "staff":
            staff = await uow.staff.get(int(ref))
            return staff is not None and staff.active
        if what == "team_chat":
            chat = await uow.team_chats.get(int(ref))
            return chat is not None and chat.active
        if what == "stage":  # a stage of the rule's pipeline, by code, name or position
            with suppress(NotFound):
                return bool(match_stage(await uow.catalog.list_stages(pipeline.id), str(ref)))
        return False

    await configured.validate(Validation(renderer, sample_subject(now), now, exists,
                                         stage=stage, uow=uow, config=config))
    return rule


def kind_of(code: str) -> AnyRuleKind:
    kind = CATALOGUE.get(code)
    if kind is None:
        raise RuleInvalid(field="kind", value=code, reason="unknown_kind", errors=[])
    return kind


def parse_params(kind: AnyRuleKind, params: dict[str, Any]) -> Configured:
    try:
        return kind.configure(params)
    except ValidationError as error:
        # the English message, and pydantic's type and values for words in other languages
        errors = [{"field": ".".join(str(p) for p in e["loc"]) or "params", "reason": e["msg"],
                   "type": e["type"], "values": {k: str(v) for k, v in (e.get("ctx") or {})
                                                 .items()}}
                  for e in error.errors()]
        raise RuleInvalid(field="params", value=kind.code, reason="bad_params",
                          errors=errors) from error


async def stage_of(uow: UnitOfWork, stage_id: int) -> Stage:
    stage = await uow.catalog.get_stage(stage_id)
    if stage is None:
        raise NotFound(what=Entity.STAGE, ref=stage_id)
    return stage
