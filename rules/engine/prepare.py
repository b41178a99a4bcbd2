"""Preparing due runs before their transaction: read, check, evaluate, and execute each kind
against recording effects, rendering its templates with no transaction and no lock held.

Reads happen in short read-only units of work; when a kind wants a template the memo has not
rendered yet, it stops, the unit of work ends, the template is rendered, and the run is
prepared again (a message needs one such pass, a document with a caption two).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import evaluate
from rules.config import EngineConfig
from rules.context import Subject
from rules.engine.batch_cache import BatchCache
from rules.engine.due import fail, finish
from rules.engine.effects import RecordingEffects
from rules.engine.render_memo import MemoRenderer, NeedsRender, RenderMemo, Unprepared
from rules.errors import ConditionError, TemplateProblem
from rules.kinds import CATALOGUE
from rules.kinds.base import AnyRuleKind, Effects, KindContext, RunFailure
from rules.model import Rule, RuleRun, RunState
from rules.reason_codes import Reason
from rules.rendering import Renderer
from rules.storage.unit import repos

log = logging.getLogger(__name__)
PASSES = 8  # renders one run may wait for, one after another


@dataclass(slots=True)
class Prepared:
    """A due run and what it will do: decided already (run finished: cancelled, skipped,
    failed), or the effects its kind would have, or still waiting for a render."""

    run: RuleRun
    rule: Rule | None = None
    effects: RecordingEffects | None = None
    result: dict[str, Any] = field(default_factory=dict)
    waiting_render: bool = False

    @property
    def changing(self) -> bool:
        """Its kind changes CRM data: executed again, in order, when it is applied."""
        return self.effects is not None and bool(self.effects.changes)


class Preparer:
    def __init__(self, uow: UnitOfWorkFactory, renderer: Renderer, config: EngineConfig,
                 up_since: datetime) -> None:
        self._uow = uow
        self._renderer = renderer
        self._config = config
        self._zone = ZoneInfo(config.timezone)
        self._up_since = up_since

    async def prepare(self, run_ids: list[int], now: datetime, memo: RenderMemo
                      ) -> list[Prepared]:
        """The runs of `run_ids` still due, prepared, in the order given."""
        ready: dict[int, Prepared] = {}
        subjects: dict[int, Subject] = {}
        todo = run_ids
        for _ in range(PASSES):
            async with self._uow(write=False) as uow:
                runs = await repos(uow).runs.get_many(todo)
                cache = BatchCache(uow, subjects)
                await cache.load(runs)
                for run in runs:
                    if due(run, now):
                        ready[run.id] = await self._one(uow, run, cache, memo, now)
                    else:
                        ready.pop(run.id, None)
            todo = [i for i in todo if i in ready and ready[i].waiting_render]
            if not todo:
                break
            await memo.render_wanted()  # no transaction, no lock
        return [ready[i] for i in run_ids if i in ready]

    async def _one(self, uow: UnitOfWork, run: RuleRun, cache: BatchCache, memo: RenderMemo,
                   now: datetime) -> Prepared:
        run.late = (run.due_at is not None and run.due_at < self._up_since
                    and run.created_at < self._up_since)
        entry, stopped_by = cache.entry(run.item_id)
        if entry is None or entry.id != run.entry_id:
            finish(run, RunState.CANCELLED, now, Reason.LEFT_STAGE)
            return Prepared(run)
        if stopped_by is not None:
            finish(run, RunState.STOPPED, now, Reason.STOPPED, {"name": stopped_by})
            return Prepared(run)
        rule = cache.rule(run.rule_id)
        if rule is None:
            finish(run, RunState.CANCELLED, now, Reason.RULE_DELETED)
            return Prepared(run)
        prepared = Prepared(run, rule)
        subject = await cache.subject(run.item_id, entry.from_stage_id)
        kind = self.kind_passing(run, rule, subject, now)
        if kind is None:
            return prepared
        effects = RecordingEffects()
        ctx = self.context(uow, run, subject, now, effects, memo)
        try:
            if await attempt(kind, ctx, rule, run, now):
                prepared.effects, prepared.result = effects, ctx.result
        except NeedsRender:
            prepared.waiting_render = True
        return prepared

    def kind_passing(self, run: RuleRun, rule: Rule, subject: Subject, now: datetime
                     ) -> AnyRuleKind | None:
        """The rule's kind when the run is to execute it; else the run is finished here."""
        if not rule.enabled:
            finish(run, RunState.SKIPPED, now, Reason.DISABLED)
            return None
        kind = CATALOGUE.get(rule.kind)
        if kind is None:
            fail(run, Reason.UNKNOWN_KIND, {"kind": rule.kind}, now)
            return None
        try:
            evaluation = evaluate(rule.condition, subject, self._zone)
        except ConditionError as error:
            fail(run, Reason.BAD_PARAMS, {"detail": str(error.params.get("reason"))}, now)
            return None
        if not evaluation.passed:
            finish(run, RunState.SKIPPED, now, Reason.CONDITION_FALSE)
            run.result = {"checks": evaluation.explanation()}
            return None
        run.state, run.started_at = RunState.RUNNING, now
        return kind

    def context(self, uow: UnitOfWork, run: RuleRun, subject: Subject, now: datetime,
                effects: Effects, memo: RenderMemo) -> KindContext:
        return KindContext(uow=uow, subject=subject, now=now,
                           renderer=MemoRenderer(self._renderer, memo), config=self._config,
                           effects=effects, run_id=run.id, previous=dict(run.result))


async def attempt(kind: AnyRuleKind, ctx: KindContext, rule: Rule, run: RuleRun, now: datetime,
                  savepoint: UnitOfWork | None = None) -> bool:
    """Executes the kind; a failure fails the run (and, with `savepoint`, leaves nothing
    half-done). NeedsRender and Unprepared pass through."""
    try:
        configured = kind.configure(rule.params)
        if savepoint is None:
            await configured.execute(ctx)
        else:
            async with savepoint.savepoint("kind"):
                await configured.execute(ctx)
    except (NeedsRender, Unprepared):
        raise
    except ValidationError as error:
        fail(run, Reason.BAD_PARAMS, {"detail": _first_error(error)}, now)
    except TemplateProblem as problem:
        fail(run, problem.reason, _template_params(problem), now)
    except RunFailure as failure:
        fail(run, failure.code, failure.params, now)
    except Exception:  # a bug in a kind: this run fails, the others of the batch go on
        log.exception("rule run %s failed unexpectedly", run.id)
        fail(run, Reason.INTERNAL_ERROR, {}, now)
    else:
        return True
    return False


def due(run: RuleRun, now: datetime) -> bool:
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
