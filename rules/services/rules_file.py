"""Importing and exporting rules as YAML: all or nothing, every problem with its line."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crm.access import require_settings_right
from crm.clock import Clock
from crm.errors import AppError, Entity, NotFound
from crm.models import Staff, localized
from crm.services.stage_match import match_stage
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import format_condition, parse_condition
from rules.errors import RuleInvalid, RulesFileError
from rules.model import Execution, Rule
from rules.services.rule_steps import add_rule, replace_rule
from rules.services.rules_admin import RuleService
from rules.storage.unit import repos
from rules.timing_text import format_timing, parse_timing
from rules.yaml_io import RuleEntry, read_rules_file, write_rules_file

DEFAULTS = Path(__file__).resolve().parents[1] / "defaults" / "deal.yaml"
DEFAULTS_FLAG = "default_rules_installed"


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    updated: int


class RulesFileService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, rules: RuleService,
                 timezone: str) -> None:
        self._uow = uow
        self._clock = clock
        self._rules = rules
        self._timezone = timezone

    async def import_text(self, actor: Staff | None, text: str) -> ImportReport:
        """`actor` None: the command line (whoever runs it owns the server)."""
        if actor is not None:
            require_settings_right(actor)
        entries = read_rules_file(text)
        errors: list[dict[str, Any]] = []
        added = updated = 0
        async with self._uow() as uow:
            for entry in entries:
                try:
                    async with uow.savepoint("rule"):
                        if await self._apply(uow, actor, entry):
                            updated += 1
                        else:
                            added += 1
                except AppError as error:
                    errors.append(_describe(entry, error))
            if errors:
                raise RulesFileError(errors=errors)
            await uow.commit()
        return ImportReport(added, updated)

    async def install_defaults(self) -> ImportReport | None:
        """The shipped rule set, once per database and only into one without rules: a
        default an admin deleted stays gone, and an imported rule set is not mixed with it."""
        async with self._uow() as uow:
            if await uow.settings.get(DEFAULTS_FLAG):
                return None
            if await repos(uow).rules.all():  # rules of the team's own came first
                await uow.settings.set(DEFAULTS_FLAG, "1")
                await uow.commit()
                return None
        report = await self.import_text(None, DEFAULTS.read_text(encoding="utf-8"))
        async with self._uow() as uow:
            await uow.settings.set(DEFAULTS_FLAG, "1")
            await uow.commit()
        return report

    async def export_text(self, actor: Staff | None) -> str:
        if actor is not None:
            require_settings_right(actor)
        async with self._uow(write=False) as uow:
            rules = await repos(uow).rules.all()
            return write_rules_file([await _entry(uow, rule) for rule in rules])

    async def _apply(self, uow: UnitOfWork, actor: Staff | None, entry: RuleEntry) -> bool:
        """Adds the rule, or updates the one with its key; True when it updated."""
        v = entry.values
        stage_id = await _stage_id(uow, str(v["type"]), v.get("pipeline"), str(v["stage"]))
        condition = v.get("condition")
        rule = Rule(
            id=0, type_code=str(v["type"]), pipeline_id=0, stage_id=stage_id, position=0,
            title=str(v.get("title") or ""), kind=str(v["kind"]),
            params=dict(v.get("params") or {}),
            execution=_execution(v.get("execution")),
            timing=parse_timing(str(v.get("timing") or "immediately"), self._timezone),
            condition=parse_condition(condition) if isinstance(condition, str) else condition,
            enabled=bool(v.get("enabled", True)),
            origin=str(v.get("key") or uuid.uuid4().hex[:12]),
        )
        repo = repos(uow).rules
        existing = await repo.by_origin(rule.origin or "")
        now = self._clock.now()
        if existing is None:
            await add_rule(uow, rule, actor, now, self._rules.checks)
            return False
        await replace_rule(uow, existing, rule, now, self._rules.checks)
        return True


async def _stage_id(uow: UnitOfWork, type_ref: str, pipeline_ref: Any, stage_ref: str) -> int:
    types = await uow.catalog.list_types()
    entity_type = next((t for t in types if type_ref.lower() in
                        (t.code, t.name_en.lower(), t.name_de.lower())), None)
    if entity_type is None:
        raise NotFound(what=Entity.TYPE, ref=type_ref)
    pipelines = await uow.catalog.list_pipelines(entity_type.code)
    if pipeline_ref in (None, ""):
        pipeline = next((p for p in pipelines if p.is_default), pipelines[0] if pipelines else None)
    else:
        ref = str(pipeline_ref).lower()
        pipeline = next((p for p in pipelines if ref in
                         (str(p.id), p.name_en.lower(), p.name_de.lower())), None)
    if pipeline is None:
        raise NotFound(what=Entity.PIPELINE, ref=pipeline_ref)
    return match_stage(await uow.catalog.list_stages(pipeline.id), stage_ref).id


def _execution(value: Any) -> Execution:
    try:
        return Execution(str(value or "independent"))
    except ValueError as exc:
        raise RuleInvalid(field="execution", value=str(value),
                          reason="write independent or after_previous", errors=[]) from exc


async def _entry(uow: UnitOfWork, rule: Rule) -> dict[str, Any]:
    pipeline = await uow.catalog.get_pipeline(rule.pipeline_id)
    stage = await uow.catalog.get_stage(rule.stage_id)
    assert pipeline is not None and stage is not None  # foreign keys
    entry: dict[str, Any] = {
        "key": rule.origin or f"rule-{rule.id}", "type": rule.type_code,
        "pipeline": localized(pipeline, "en"), "stage": stage.code or localized(stage, "en"),
        "title": rule.title, "kind": rule.kind, "params": rule.params,
        "execution": rule.execution.value, "timing": format_timing(rule.timing),
    }
    if rule.condition:
        entry["condition"] = format_condition(rule.condition)
    if not rule.enabled:
        entry["enabled"] = False
    return entry


_FIELD_OF = {"type": "type", "pipeline": "pipeline", "stage": "stage", "kind": "kind",
             "params": "params", "template": "params", "condition": "condition",
             "timing": "timing", "execution": "execution", "title": "title"}


def _describe(entry: RuleEntry, error: AppError) -> dict[str, Any]:
    """One problem of one rule: the line of the field at fault, the field, the reason."""
    p = error.params
    what = str(p.get("what") or p.get("field") or "")
    field = _FIELD_OF.get(what, "rule")
    if p.get("errors"):
        first = p["errors"][0]
        return {"line": entry.line_of("params"), "field": f"params.{first['field']}",
                "reason": first["reason"], "setting": first}
    reason = str(p.get("reason") or error.code)
    if error.code == "invalid_template":
        reason = f"template {p.get('value')} line {p.get('line') or '?'}: {p.get('detail')}"
    elif error.code == "not_found":
        reason = f"no such {what}: {p.get('ref')}"
    elif error.code == "invalid_condition":
        reason = f"{p.get('reason')} at column {p.get('position')}"
    # the error itself, for the words of the user's language (the bot's error_texts)
    return {"line": entry.line_of(field), "field": field, "reason": reason,
            "error": {"code": error.code, "params": {k: v for k, v in p.items()
                                                     if isinstance(v, str | int | None)}}}
