"""Executes one due run in its own transaction: re-check, evaluate, act, record.

At fire time everything is read afresh: the item must still be in the stage entry the run
belongs to, automation must not be stopped, the rule must still exist and be enabled, and
the condition is evaluated on the item as it is now.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import evaluate
from rules.config import EngineConfig
from rules.context import load_subject
from rules.engine.chain import release_next
from rules.engine.due import fail, finish
from rules.engine.effects import OutboxEffects
from rules.errors import ConditionError, TemplateProblem
from rules.kinds import CATALOGUE
from rules.kinds.base import KindContext, RunFailure
from rules.model import RuleRun, RunState
from rules.rendering import Renderer
from rules.storage.rules_repo import RuleRepo
from rules.storage.runs_repo import RunRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Executed:
    run_id: int
    state: RunState
    queued: int  # outbox rows written
    released: bool  # a following after-previous run was released


class RunExecutor:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, renderer: Renderer,
                 config: EngineConfig) -> None:
        self._uow = uow
        self._clock = clock
        self._renderer = renderer
        self._config = config
        self._zone = ZoneInfo(config.timezone)

    async def execute(self, run_id: int) -> Executed | None:
        """None when the run was not due (any more): someone else took care of it."""
        async with self._uow() as uow:
            runs = uow.repo(RunRepo)
            run = await runs.get(run_id)
            now = self._clock.now()
            if run is None or not _due(run, now):
                return None
            effects = OutboxEffects(uow, run.id, now)
            await self._execute(uow, run, effects)
            released = None
            if run.state.is_finished:
                released = await release_next(uow, run, now, self._config)
            await runs.save(run)
            await uow.commit()
        return Executed(run.id, run.state, effects.queued, released is not None)

    async def fail_unexpectedly(self, run_id: int) -> None:
        """After a bug in a kind rolled its transaction back: the run must not stay due."""
        async with self._uow() as uow:
            run = await uow.repo(RunRepo).get(run_id)
            if run is None or run.state.is_finished:
                return
            fail(run, "internal_error", {}, self._clock.now())
            await release_next(uow, run, run.finished_at or self._clock.now(), self._config)
            await uow.repo(RunRepo).save(run)
            await uow.commit()

    async def _execute(self, uow: UnitOfWork, run: RuleRun, effects: OutboxEffects) -> None:
        now = self._clock.now()
        runs = uow.repo(RunRepo)
        run.late = run.due_at is not None and now - run.due_at > self._config.late_after
        entry = await runs.latest_entry(run.item_id)
        if entry is None or entry.id != run.entry_id:
            finish(run, RunState.CANCELLED, now, "left_stage")
            return
        stop = await runs.stop_of(entry.id)
        if stop is not None:
            by = await uow.staff.get(stop.stopped_by) if stop.stopped_by else None
            finish(run, RunState.STOPPED, now, "stopped", {"name": by.name if by else "?"})
            return
        rule = await uow.repo(RuleRepo).get(run.rule_id) if run.rule_id else None
        if rule is None:
            finish(run, RunState.CANCELLED, now, "rule_deleted")
            return
        if not rule.enabled:
            finish(run, RunState.SKIPPED, now, "disabled")
            return
        kind = CATALOGUE.get(rule.kind)
        if kind is None:
            fail(run, "unknown_kind", {"kind": rule.kind}, now)
            return
        item = await uow.items.get(run.item_id)
        assert item is not None  # the entry exists, so does the item
        subject = await load_subject(uow, item, entry.from_stage_id)
        try:
            evaluation = evaluate(rule.condition, subject, self._zone)
        except ConditionError as error:
            fail(run, "bad_params", {"detail": str(error.params.get("reason"))}, now)
            return
        if not evaluation.passed:
            finish(run, RunState.SKIPPED, now, "condition_false")
            run.result = {"checks": evaluation.explanation()}
            return
        run.state, run.started_at = RunState.RUNNING, now
        await runs.save(run)  # RUNNING: a move the kind makes must not cancel this run
        ctx = KindContext(uow=uow, subject=subject, now=now, renderer=self._renderer,
                          config=self._config, effects=effects, run_id=run.id)
        try:
            async with uow.savepoint("kind"):  # a failing kind leaves nothing half-done
                await kind.execute(ctx, kind.params_model.model_validate(rule.params))
        except ValidationError as error:
            fail(run, "bad_params", {"detail": _first_error(error)}, now)
        except TemplateProblem as problem:
            fail(run, problem.reason, _template_params(problem), now)
        except RunFailure as failure:
            fail(run, failure.code, failure.params, now)
        else:
            run.result = {**run.result, **ctx.result}
            if effects.queued == 0:
                finish(run, RunState.DONE, now)
            return
        effects.queued = 0  # rolled back with the savepoint


def _due(run: RuleRun, now: object) -> bool:
    if run.state is RunState.PENDING:
        return True
    return run.state is RunState.WAITING and run.due_at is not None and run.due_at <= now  # type: ignore[operator]


def _template_params(problem: TemplateProblem) -> dict[str, object]:
    p = problem.params
    return {"template": p.get("value"), "line": p.get("line") or "?", "detail": p.get("detail")}


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
