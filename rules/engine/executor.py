"""Executes due runs: re-check, evaluate, act, record — a batch per transaction, each run in
a savepoint of its own.

At fire time everything is read afresh: the item must still be in the stage entry the run
belongs to, automation must not be stopped, the rule must still exist and be enabled, and
the condition is evaluated on the item as it is now. Within one batch, what was read for an
item is reused until a rule of the batch changes that item's data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import evaluate
from rules.config import EngineConfig
from rules.engine.batch_cache import BatchCache
from rules.engine.chain import release_next
from rules.engine.due import fail, finish
from rules.engine.effects import OutboxEffects
from rules.errors import ConditionError, TemplateProblem
from rules.kinds import CATALOGUE
from rules.kinds.base import KindContext, RunFailure
from rules.model import RuleRun, RunState
from rules.rendering import Renderer
from rules.storage.runs_repo import RunRepo

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Executed:
    run_id: int
    state: RunState
    queued: int  # outbox rows written


class RunExecutor:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, renderer: Renderer,
                 config: EngineConfig) -> None:
        self._uow = uow
        self._clock = clock
        self._renderer = renderer
        self._config = config
        self._zone = ZoneInfo(config.timezone)
        # Runs of an earlier process that fell due before this engine was built fell due
        # while the bot was down: late, however soon after their due time they run now.
        self._up_since = clock.now()

    async def execute(self, run_ids: list[int]) -> list[Executed]:
        """Executes the runs that are still due, in one transaction; a run that was not due
        (any more) is left alone — someone else took care of it."""
        done: list[Executed] = []
        async with self._uow() as uow:
            cache = BatchCache(uow)
            for run in await uow.repo(RunRepo).get_many(run_ids):
                executed = await self._one(uow, run, cache)
                if executed is not None:
                    done.append(executed)
            await uow.commit()
        return done

    async def _one(self, uow: UnitOfWork, run: RuleRun, cache: BatchCache) -> Executed | None:
        now = self._clock.now()
        if not _due(run, now):
            return None
        effects = OutboxEffects(uow, run.id, now)
        await self._execute(uow, run, effects, cache, now)
        if effects.changed:
            cache.forget(run.item_id)  # the rules after this one see the item as it is now
        if run.state.is_finished:
            await release_next(uow, run, now, self._config)
        await uow.repo(RunRepo).save(run)
        return Executed(run.id, run.state, effects.queued)

    async def _execute(self, uow: UnitOfWork, run: RuleRun, effects: OutboxEffects,
                       cache: BatchCache, now: datetime) -> None:
        run.late = (run.due_at is not None and run.due_at < self._up_since
                    and run.created_at < self._up_since)
        entry, stopped_by = await cache.entry(run.item_id)
        if entry is None or entry.id != run.entry_id:
            finish(run, RunState.CANCELLED, now, "left_stage")
            return
        if stopped_by is not None:
            finish(run, RunState.STOPPED, now, "stopped", {"name": stopped_by})
            return
        rule = await cache.rule(run.rule_id)
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
        subject = await cache.subject(run.item_id, entry.from_stage_id)
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
        except Exception:  # a bug in a kind: this run fails, the others of the batch go on
            log.exception("rule run %s failed unexpectedly", run.id)
            fail(run, "internal_error", {}, now)
        else:
            run.result = {**run.result, **ctx.result}
            if effects.queued == 0:
                finish(run, RunState.DONE, now)
            return
        effects.queued = 0  # rolled back with the savepoint
        effects.changed = False


def _due(run: RuleRun, now: datetime) -> bool:
    if run.state is RunState.PENDING:
        return True
    return run.state is RunState.WAITING and run.due_at is not None and run.due_at <= now


def _template_params(problem: TemplateProblem) -> dict[str, object]:
    p = problem.params
    return {"template": p.get("value"), "line": p.get("line") or "?", "detail": p.get("detail")}


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
