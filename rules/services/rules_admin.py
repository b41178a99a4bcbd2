"""Managing rules: list, add, edit, delete, copy or move to another stage, enable/disable,
reorder, and applying a new rule to the items already in its stage (rules are not
retroactive unless someone asks for it). Everything here needs the settings right."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from crm.access import require_settings_right
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.config import EngineConfig
from rules.engine.chain import release_next
from rules.engine.due import finish
from rules.engine.planner import StagePlanner
from rules.model import Rule, RunState
from rules.reason_codes import Reason
from rules.rendering import Renderer
from rules.services.rule_steps import RuleChecks, add_rule
from rules.services.validation import check_rule, stage_of
from rules.staff_hours.calendar import responsible_calendar
from rules.storage.unit import repos


class RuleService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, renderer: Renderer,
                 config: EngineConfig, planner: StagePlanner, wake: Callable[[], None]) -> None:
        self._uow = uow
        self._clock = clock
        self._renderer = renderer
        self._config = config
        self.checks = RuleChecks(renderer, config)  # the import stores rules with these too
        self._planner = planner
        self._wake = wake

    async def for_stage(self, actor: Staff, stage_id: int) -> list[Rule]:
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            await stage_of(uow, stage_id)
            return await repos(uow).rules.for_stage(stage_id)

    async def for_pipeline(self, actor: Staff, pipeline_id: int) -> list[Rule]:
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            return await repos(uow).rules.for_pipeline(pipeline_id)

    async def counts(self, actor: Staff) -> dict[int, int]:
        """Rules per stage id."""
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            return await repos(uow).rules.count_per_stage()

    async def get(self, actor: Staff, rule_id: int) -> Rule:
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            return await _rule(uow, rule_id)

    async def add(self, actor: Staff, rule: Rule) -> Rule:
        require_settings_right(actor)
        async with self._uow() as uow:
            added = await add_rule(uow, rule, actor, self._clock.now(), self.checks)
            await uow.commit()
        return added

    async def update(self, actor: Staff, rule_id: int, **changes: Any) -> Rule:
        """Changes title, params, execution, timing, condition; the stage stays (use move)."""
        require_settings_right(actor)
        async with self._uow() as uow:
            rule = dataclasses.replace(await _rule(uow, rule_id), **changes)
            rule = await check_rule(uow, rule, self._renderer, self._clock.now(), self._config)
            rule.updated_at = self._clock.now()
            await repos(uow).rules.save(rule)
            await uow.commit()
        return rule

    async def set_enabled(self, actor: Staff, rule_id: int, enabled: bool) -> Rule:
        return await self.update(actor, rule_id, enabled=enabled)

    async def delete(self, actor: Staff, rule_id: int) -> Rule:
        require_settings_right(actor)
        async with self._uow() as uow:
            rule = await _rule(uow, rule_id)
            await self._remove(uow, rule)
            await uow.commit()
        return rule

    async def _remove(self, uow: UnitOfWork, rule: Rule) -> None:
        """Deletes the rule: its waiting runs end, the rules after it close the gap."""
        await _cancel_open_runs(uow, rule.id, self._clock.now(), self._config)
        repo = repos(uow).rules
        await repo.delete(rule.id)
        await repo.renumber(rule.stage_id, [r.id for r in await repo.for_stage(rule.stage_id)])

    async def shift(self, actor: Staff, rule_id: int, offset: int) -> list[Rule]:
        """Moves a rule up (-1) or down (+1) within its stage; returns the new order."""
        require_settings_right(actor)
        async with self._uow() as uow:
            rule = await _rule(uow, rule_id)
            repo = repos(uow).rules
            ids = [r.id for r in await repo.for_stage(rule.stage_id)]
            index = ids.index(rule.id)
            target = min(max(index + offset, 0), len(ids) - 1)
            ids.insert(target, ids.pop(index))
            await repo.renumber(rule.stage_id, ids)
            ordered = await repo.for_stage(rule.stage_id)
            await uow.commit()
        return ordered

    async def copy_to(self, actor: Staff, rule_id: int, stage_id: int, move: bool = False
                      ) -> Rule:
        """A copy of the rule at the end of another stage (of any pipeline or type);
        `move` deletes the original, and the rule keeps its key, so that a rules file still
        names the same rule (as an import that changes a rule's stage does)."""
        require_settings_right(actor)
        async with self._uow() as uow:
            original = await _rule(uow, rule_id)
            if move:
                await self._remove(uow, original)
            copy = dataclasses.replace(original, id=0, stage_id=stage_id,
                                       origin=original.origin if move else None)
            added = await add_rule(uow, copy, actor, self._clock.now(), self.checks)
            await uow.commit()
        return added

    async def items_waiting_for(self, actor: Staff, rule_id: int) -> int:
        """How many items are in the rule's stage and have not had this rule run there."""
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            rule = await _rule(uow, rule_id)
            return len(await _entries_without(uow, rule))

    async def apply_to_existing(self, actor: Staff, rule_id: int) -> int:
        """Runs the rule for the items already in its stage; returns how many."""
        require_settings_right(actor)
        async with self._uow() as uow:
            rule = await _rule(uow, rule_id)
            runs = repos(uow).runs
            now = self._clock.now()
            entries = await _entries_without(uow, rule)
            for entry in entries:
                item = await uow.items.get(entry.item_id, with_products=False)
                assert item is not None  # the entry is its current one
                existing = await runs.for_entry(entry.id)
                before = [r for r in existing if r.position < rule.position]
                person = await responsible_calendar(
                    uow, item.responsible_id, self._planner.working_hours, now
                ) if rule.timing.responsible_hours else None
                planned = self._planner.plan(rule, item.id, entry.id, now, 0,
                                             before[-1] if before else None, item, person)
                await runs.add(planned)
            await uow.commit()
        if entries:
            self._wake()
        return len(entries)


async def _rule(uow: UnitOfWork, rule_id: int) -> Rule:
    rule = await repos(uow).rules.get(rule_id)
    if rule is None:
        raise NotFound(what=Entity.RULE, ref=rule_id)
    return rule


async def _entries_without(uow: UnitOfWork, rule: Rule) -> list[Any]:
    runs = repos(uow).runs
    entries = await runs.current_entries(rule.stage_id)
    return [e for e in entries if not await runs.exists(rule.id, e.id)
            and await runs.stop_of(e.id) is None]


async def _cancel_open_runs(uow: UnitOfWork, rule_id: int, now: Any,
                            config: EngineConfig) -> None:
    """The rule is going: its waiting runs end, and the rules after them stop waiting."""
    runs = repos(uow).runs
    for run in await runs.open_for_rule(rule_id):
        finish(run, RunState.CANCELLED, now, Reason.RULE_DELETED)
        await runs.save(run)
        await release_next(uow, run, now, config)
