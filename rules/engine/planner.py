"""Entering a stage plans that stage's rules; leaving it cancels what still waited.

`on_item_entered_stage` subscribes to crm's ItemEnteredStage and runs inside the move's
transaction, so the runs exist exactly when the move does.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from crm.errors import AppError
from crm.events import ItemEnteredStage
from crm.models import CrmMode, Item
from crm.services.catalog import current_mode
from crm.storage.unit_of_work import UnitOfWork
from rules.config import EngineConfig
from rules.engine.due import finish, put_on_clock
from rules.model import Execution, Rule, RuleRun, RunState
from rules.storage.rules_repo import RuleRepo
from rules.storage.runs_repo import RunRepo

CAUSE_PREFIX = "run:"


class AutomationLoop(AppError):
    """Automation moved an item too often in a row. params: item_id, depth."""

    code = "automation_loop"


def automation_cause(run_id: int) -> str:
    """The `cause` a rule gives when it moves an item, so the loop guard can follow it."""
    return f"{CAUSE_PREFIX}{run_id}"


class StagePlanner:
    def __init__(self, config: EngineConfig, wake: Callable[[], None]) -> None:
        self._config = config
        self._wake = wake

    async def on_item_entered_stage(self, event: ItemEnteredStage, uow: UnitOfWork) -> None:
        runs = uow.repo(RunRepo)
        for waiting in await runs.open_for_item(event.item_id):
            if event.cause == automation_cause(waiting.id):
                continue  # the run making this move is executing; it finishes itself
            finish(waiting, RunState.CANCELLED, event.at, "left_stage")
            await runs.save(waiting)
        depth = await self._depth(runs, event.cause)
        if depth > self._config.max_automation_depth:  # `depth - 1` moves went through
            raise AutomationLoop(item_id=event.item_id, depth=depth - 1)
        if event.type_code == "lead" and await current_mode(uow) is CrmMode.SIMPLE:
            return
        rules = [r for r in await uow.repo(RuleRepo).for_stage(event.to_stage_id) if r.enabled]
        if not rules:
            return
        entry = await runs.latest_entry(event.item_id)
        item = await uow.items.get(event.item_id, with_products=False)
        assert entry is not None and item is not None  # written by the move just now
        previous: RuleRun | None = None
        for rule in rules:
            previous = await runs.add(self.plan(rule, item, entry.id, event.at, depth, previous))
        uow.after_commit(self._wake)

    def plan(self, rule: Rule, item: Item, entry_id: int, now: datetime, depth: int,
             previous: RuleRun | None) -> RuleRun:
        """A new run of `rule`; it waits for `previous` when the rule says so and
        `previous` has not finished yet."""
        run = RuleRun(
            id=0, item_id=item.id, rule_id=rule.id, rule_title=rule.title, rule_kind=rule.kind,
            stage_id=rule.stage_id, entry_id=entry_id, position=rule.position,
            execution=rule.execution, state=RunState.WAITING_PREVIOUS, due_at=None,
            created_at=now, depth=depth,
        )
        waits = (rule.execution is Execution.AFTER_PREVIOUS and previous is not None
                 and not previous.state.is_finished)
        if not waits:
            put_on_clock(run, rule.timing, now, item, self._config.working_hours, now)
        return run

    @staticmethod
    async def _depth(runs: RunRepo, cause: str | None) -> int:
        if not cause or not cause.startswith(CAUSE_PREFIX):
            return 0
        parent = await runs.get(int(cause.removeprefix(CAUSE_PREFIX)))
        return (parent.depth + 1) if parent else 1
