"""The steps of storing a rule, inside the unit of work its use case opened: adding one by
hand, copying one to another stage, importing a rules file (many rules, one transaction)."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import datetime

from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWork
from rules.config import EngineConfig
from rules.model import Rule
from rules.rendering import Renderer
from rules.services.validation import check_rule
from rules.storage.unit import repos


@dataclass(frozen=True, slots=True)
class RuleChecks:
    """What a rule is checked with before it is stored (its templates render with sample
    data, its kind's settings hold, its stage exists)."""

    renderer: Renderer
    config: EngineConfig


async def add_rule(uow: UnitOfWork, rule: Rule, actor: Staff | None, now: datetime,
                   checks: RuleChecks) -> Rule:
    """`rule`, checked, at the end of its stage."""
    rule = await check_rule(uow, rule, checks.renderer, now, checks.config)
    rule.position = await repos(uow).rules.next_position(rule.stage_id)
    rule.created_by = actor.user_id if actor else None
    rule.created_at = rule.updated_at = now
    rule.origin = rule.origin or uuid.uuid4().hex[:12]  # its key in exported files
    return await repos(uow).rules.add(rule)


async def replace_rule(uow: UnitOfWork, existing: Rule, new: Rule, now: datetime,
                       checks: RuleChecks) -> Rule:
    """`existing` takes everything from `new` (an import of a rule with its key)."""
    rule = await check_rule(uow, dataclasses.replace(
        new, id=existing.id, position=existing.position, origin=existing.origin,
        created_by=existing.created_by, created_at=existing.created_at), checks.renderer, now,
        checks.config)
    repo = repos(uow).rules
    if rule.stage_id != existing.stage_id:
        rule.position = await repo.next_position(rule.stage_id)
    rule.updated_at = now
    await repo.save(rule)
    if rule.stage_id != existing.stage_id:
        remaining = await repo.for_stage(existing.stage_id)
        await repo.renumber(existing.stage_id, [r.id for r in remaining])
    return rule
