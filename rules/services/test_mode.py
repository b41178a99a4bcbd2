"""Test mode: runs a stage's rules against an item without touching clients or data, and
shows for each what it would do — condition outcome, recipient, time, rendered text.

The kinds run their real `execute` with effects that only record, inside a read-only
transaction that is rolled back, so a preview cannot drift from what a run does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.i18n import language_or
from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import Evaluation, evaluate
from rules.config import EngineConfig
from rules.context import Subject, load_subject
from rules.engine.effects import OutboxEffects, Preview, PreviewEffects
from rules.errors import TemplateProblem
from rules.kinds import CATALOGUE
from rules.kinds.base import Draft, KindContext, RunFailure
from rules.model import Execution, Rule
from rules.reason_codes import Reason
from rules.rendering import Renderer
from rules.services.test_send import TestSent, queue_for_tester
from rules.staff_hours.calendar import PersonCalendar, responsible_calendar
from rules.storage.unit import repos
from rules.timing import TimingProblem, compute_due


@dataclass(slots=True)
class RulePreview:
    rule: Rule
    evaluation: Evaluation
    due: datetime | None  # None: after the previous rule, or not computable
    previews: list[Preview] = field(default_factory=list)
    failure: Reason | None = None
    failure_params: dict[str, object] = field(default_factory=dict)
    drafts: list[Draft] = field(default_factory=list)  # the documents it would create
    # What would hold a real run back now, though it would do the above later (the client
    # has not started the bot yet: it runs when they do).
    notes: list[RunFailure] = field(default_factory=list)

    @property
    def would_run(self) -> bool:
        return self.rule.enabled and self.evaluation.passed and self.failure is None


@dataclass(slots=True)
class StagePreview:
    item_id: int
    stage_id: int
    rules: list[RulePreview]


class TestModeService:
    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, renderer: Renderer,
                 config: EngineConfig, on_queued: Callable[[], None]) -> None:
        self._on_queued = on_queued
        self._uow = uow
        self._clock = clock
        self._renderer = renderer
        self._config = config

    async def preview(self, actor: Staff, item_id: int, stage_id: int | None = None
                      ) -> StagePreview:
        async with self._uow(write=False) as uow:
            item = await uow.items.get(item_id)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            target = await uow.catalog.get_stage(stage_id or item.stage_id)
            if target is None or target.pipeline_id != item.pipeline_id:
                raise NotFound(what=Entity.STAGE, ref=stage_id)
            subject = await load_subject(uow, item)
            if target.id != item.stage_id:  # as if the item entered the target stage now
                subject.previous_stage, subject.stage = subject.stage, target
            rules = await repos(uow).rules.for_stage(target.id)
            return StagePreview(item_id, target.id,
                                [await self._one(uow, rule, subject) for rule in rules])

    async def send_to_tester(self, actor: Staff, item_id: int, stage_id: int | None
                             ) -> TestSent:
        """Queues to the tester's own chat everything the rules that would run would send
        or do — messages, documents as PDFs, e-mails, webhook calls, data changes — each
        marked as a test; returns what was queued."""
        stage = await self.preview(actor, item_id, stage_id)
        language = language_or(actor.language, self._config.default_language)
        async with self._uow() as uow:
            effects = OutboxEffects(uow, 0, self._clock.now())
            effects.key_prefix = f"test:{uuid.uuid4().hex}"
            sent = await queue_for_tester(effects, actor.user_id, language,
                                          [r for r in stage.rules if r.would_run])
            uow.after_commit(self._on_queued)
            await uow.commit()
        return sent

    async def _one(self, uow: UnitOfWork, rule: Rule, subject: Subject) -> RulePreview:
        now = self._clock.now()
        evaluation = evaluate(rule.condition, subject, ZoneInfo(self._config.timezone))
        person = await responsible_calendar(
            uow, subject.item.responsible_id, self._config.working_hours, now
        ) if rule.timing.responsible_hours else None
        result = RulePreview(rule, evaluation, self._due(rule, subject, now, person))
        kind = CATALOGUE.get(rule.kind)
        if kind is None:
            result.failure, result.failure_params = Reason.UNKNOWN_KIND, {"kind": rule.kind}
            return result
        effects = PreviewEffects()
        ctx = KindContext(uow=uow, subject=subject, now=now, renderer=self._renderer,
                          config=self._config, effects=effects, test_mode=True)
        try:
            await kind.configure(rule.params).execute(ctx)
        except ValidationError as error:
            result.failure, result.failure_params = Reason.BAD_PARAMS, {"detail": str(error)}
        except TemplateProblem as problem:
            result.failure = problem.reason
            result.failure_params = {"template": problem.params.get("value"),
                                     "line": problem.params.get("line") or "?",
                                     "detail": problem.params.get("detail")}
        except RunFailure as failure:
            result.failure, result.failure_params = failure.code, failure.params
        result.previews, result.drafts, result.notes = effects.previews, ctx.drafts, ctx.notes
        return result

    def _due(self, rule: Rule, subject: Subject, now: datetime,
             person: PersonCalendar | None = None) -> datetime | None:
        if rule.execution is Execution.AFTER_PREVIOUS and rule.position > 1:
            return None
        try:
            return compute_due(rule.timing, now, subject.item, self._config.working_hours,
                               person)
        except TimingProblem:
            return None
