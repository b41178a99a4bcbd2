"""Entering a stage plans that stage's rules; leaving it cancels what still waited.

`on_item_entered_stage` subscribes to crm's ItemEnteredStage and runs inside the move's
transaction, so the runs exist exactly when the move does. It stays off the user's way:
the stage's rules come from memory (one indexed read says whether they are current), all
its runs are written in one statement, and nothing is executed here — the run worker does
that after the reply.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from functools import partial

from crm.errors import AppError
from crm.events import ItemEnteredStage
from crm.models import CrmMode, Item
from crm.services.catalog import current_mode
from crm.storage.unit_of_work import UnitOfWork
from rules.config import EngineConfig
from rules.engine.due import finish, put_on_clock
from rules.engine.stage_rules import StageRules
from rules.model import Execution, Rule, RuleRun, RunState, TimingMode
from rules.reason_codes import Reason
from rules.staff_hours.calendar import PersonCalendar, responsible_calendar
from rules.storage.runs_repo import RunRepo
from rules.storage.unit import repos
from rules.timing import WorkingHours

CAUSE_PREFIX = "run:"


class AutomationLoop(AppError):
    """Automation moved an item too often in a row. params: item_id, depth."""

    code = "automation_loop"


def automation_cause(run_id: int) -> str:
    """The `cause` a rule gives when it moves an item, so the loop guard can follow it."""
    return f"{CAUSE_PREFIX}{run_id}"


class StagePlanner:
    def __init__(self, config: EngineConfig, wake: Callable[[], None],
                 on_planned: Callable[[int, bool], None] | None = None) -> None:
        """`on_planned(item_id, due_now)`: after the commit of each stage entry it planned
        (MoveSettling.planned); `due_now`: a rule of it is due at once."""
        self._config = config
        self._wake = wake
        self._on_planned = on_planned
        self._rules = StageRules()

    @property
    def working_hours(self) -> WorkingHours:
        return self._config.working_hours

    async def on_item_entered_stage(self, event: ItemEnteredStage, uow: UnitOfWork) -> None:
        planned = await self._plan(event, uow)
        if self._on_planned is not None:
            due_now = any(run.state is RunState.PENDING for run in planned)
            uow.after_commit(partial(self._on_planned, event.item_id, due_now))

    async def _plan(self, event: ItemEnteredStage, uow: UnitOfWork) -> list[RuleRun]:
        """The runs of the new stage's rules, added in `uow`."""
        runs = repos(uow).runs
        with uow.together():  # on PostgreSQL one round trip for both
            open_runs, (version, entry_id) = await asyncio.gather(
                runs.open_for_item(event.item_id),
                repos(uow).rules.version_and_entry(event.item_id))
        left = [waiting for waiting in open_runs
                # the run making this move is executing; it finishes itself
                if event.cause != automation_cause(waiting.id)]
        for waiting in left:
            finish(waiting, RunState.CANCELLED, event.at, Reason.LEFT_STAGE)
        await runs.save_many(left)
        depth = await self._depth(runs, event.cause)
        if depth > self._config.max_automation_depth:  # `depth - 1` moves went through
            raise AutomationLoop(item_id=event.item_id, depth=depth - 1)
        if event.type_code == "lead" and await current_mode(uow) is CrmMode.SIMPLE:
            return []
        rules = await self._rules.enabled(uow, event.to_stage_id, version)
        if not rules:
            return []
        assert entry_id is not None  # written by the move just now
        item = None  # read only for a rule timed relative to one of its dates
        personal = any(rule.timing.responsible_hours for rule in rules)
        if personal or any(rule.timing.mode is TimingMode.RELATIVE for rule in rules):
            item = await uow.items.get(event.item_id, with_products=False)
        person = await responsible_calendar(
            uow, item.responsible_id, self._config.working_hours, event.at
        ) if personal and item is not None else None
        planned: list[RuleRun] = []
        for rule in rules:
            planned.append(self.plan(rule, event.item_id, entry_id, event.at, depth,
                                     planned[-1] if planned else None, item, person))
        await runs.add_many(planned)
        uow.after_commit(self._wake)
        return planned

    def plan(self, rule: Rule, item_id: int, entry_id: int, now: datetime, depth: int,
             previous: RuleRun | None, item: Item | None = None,
             person: PersonCalendar | None = None) -> RuleRun:
        """A new run of `rule`; it waits for `previous` when the rule says so and
        `previous` has not finished yet. `item` is needed for a timing relative to one of
        its dates."""
        run = RuleRun(
            id=0, item_id=item_id, rule_id=rule.id, rule_title=rule.title, rule_kind=rule.kind,
            stage_id=rule.stage_id, entry_id=entry_id, position=rule.position,
            execution=rule.execution, state=RunState.WAITING_PREVIOUS, due_at=None,
            created_at=now, depth=depth,
        )
        waits = (rule.execution is Execution.AFTER_PREVIOUS and previous is not None
                 and not previous.state.is_finished)
        if not waits:
            put_on_clock(run, rule.timing, now, item, self._config.working_hours, now, person)
        return run

    @staticmethod
    async def _depth(runs: RunRepo, cause: str | None) -> int:
        if not cause or not cause.startswith(CAUSE_PREFIX):
            return 0
        parent = await runs.get(int(cause.removeprefix(CAUSE_PREFIX)))
        return (parent.depth + 1) if parent else 1
