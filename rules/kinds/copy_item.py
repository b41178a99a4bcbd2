"""Create a copy of the item in a chosen pipeline and stage of its type: once, or on a
schedule (every N days/weeks/months, or on a day of the month) — recurring deals. The copy
links to its origin and enters its stage like a new item, so that stage's rules run.

A schedule is set up once per item and rule (entering the stage again keeps the one that
runs) and lives in the database (rules.recurring); it ends when the item is closed as
lost, after `times` copies, or when someone stops it with /schedules.
"""

from __future__ import annotations

from typing import ClassVar, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import Field, model_validator

from crm.errors import AppError, InputProblem, InvalidInput
from crm.i18n import N_, translate
from crm.models import Pipeline, Stage, localized
from crm.services.copies import copy_item
from crm.services.items import MAX_TITLE
from crm.storage.unit_of_work import UnitOfWork
from rules.engine.planner import AutomationLoop, automation_cause
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, RunFailure, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import (
    VALUE_REASONS,
    checked_value,
    failure,
    invalid,
    invalid_value,
    value_of,
)
from rules.reason_codes import Reason
from rules.recurring.schedule import Calendar, CopySchedule, CopyScheduled, Repeat, next_after
from rules.recurring.texts import moment_text, repeat_text
from rules.storage.unit import repos

ONCE = N_("create a copy in “{pipeline}” / “{stage}”")
SCHEDULED = N_("create a copy in “{pipeline}” / “{stage}” {every}, first on {first}")
WRONG_TARGET = N_("pipeline {pipeline} / stage {stage} is not a stage of this item type")
SAME_STAGE = N_("a copy into this same stage would run this rule again and copy itself")


class CopyParams(Params):
    pipeline_id: int = Field(ge=1)
    stage_id: int | None = Field(None, ge=1)  # None: the pipeline's first stage
    title: str | None = Field(None, min_length=1, max_length=500)  # template; None: the same
    repeat: Literal["once", "days", "weeks", "months", "month_day"] = "once"
    every: int = Field(1, ge=1, le=366)
    day: int | None = Field(None, ge=1, le=31)  # month_day only
    times: int | None = Field(None, ge=1, le=1000)  # copies at most; None: until stopped

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.repeat == "month_day") != (self.day is not None):
            raise ValueError(N_("a day of the month goes with repeat: month_day, and only there"))
        if self.repeat == "once" and self.times is not None:
            raise ValueError(N_("times is for a repeating copy"))
        return self


class CopyItem(RuleKind[CopyParams]):
    code = "copy_item"
    group = KindGroup.RECURRING
    name = N_("Create a copy of the item")
    params_model = CopyParams
    reasons: ClassVar[dict[Reason, str]] = {
        **VALUE_REASONS,
        Reason.TARGET_GONE: N_("the target pipeline or stage no longer exists"),
        Reason.OTHER_TYPE: N_("the target pipeline is of another type than the item"),
        Reason.COPY_REFUSED: N_("the copy could not be created ({detail})"),
    }

    questions = (
        Question("pipeline_id", Answer.PIPELINE, N_("Into which pipeline?")),
        Question("stage_id", Answer.STAGE, N_("Into which stage? (Skip: the first one)"),
                 optional=True),
        Question("title", Answer.TEXT, N_("The copy's title? (Skip: the same)"), optional=True,
                 example=N_("e.g. Maintenance for the next month")),
        Question("repeat", Answer.CHOICE, N_("Once, or again and again?"), optional=True,
                 choices=(("once", N_("once")), ("days", N_("every few days")),
                          ("weeks", N_("every few weeks")), ("months", N_("every few months")),
                          ("month_day", N_("on a day of every month")))),
        Question("every", Answer.NUMBER, N_("Every how many days, weeks or months?"),
                 example=N_("e.g. 2"), when=("repeat", ("days", "weeks", "months"))),
        Question("day", Answer.NUMBER, N_("On which day of the month?"),
                 example=N_("e.g. 15"), when=("repeat", "month_day")),
        Question("times", Answer.NUMBER, N_("How many copies at most? (Skip: until stopped)"),
                 optional=True, example=N_("e.g. 12"),
                 when=("repeat", ("days", "weeks", "months", "month_day"))),
    )

    async def execute(self, ctx: KindContext, params: CopyParams) -> None:
        item, language = ctx.subject.item, ctx.config.default_language
        pipeline, stage = await _target(ctx.uow, params)
        if pipeline.type_code != item.type_code:
            raise RunFailure(Reason.OTHER_TYPE)
        names = {"pipeline": localized(pipeline, language), "stage": localized(stage, language)}
        if params.repeat == "once":
            title = (await value_of(ctx, params.title))[0] if params.title else None

            async def make() -> None:
                copy = await _copy(ctx, stage.id, title)
                ctx.result["copy_id"] = copy

            await ctx.effects.apply(translate(ONCE, language, **names), make)
            return
        schedule = CopySchedule(
            id=0, origin_id=item.id, rule_id=None, run_id=ctx.run_id, pipeline_id=pipeline.id,
            stage_id=stage.id, repeat=Repeat(params.repeat), every=params.every,
            anchor_at=ctx.now, created_at=ctx.now, day=params.day, title=params.title,
            max_copies=params.times)
        calendar = Calendar(ZoneInfo(ctx.config.timezone), ctx.config.working_hours.start)
        schedule.occurrence, schedule.next_due_at = next_after(schedule, ctx.now, calendar)
        every = repeat_text(schedule.repeat, params.every, params.day, language)
        describe = translate(
            SCHEDULED, language, **names, every=every,
            first=moment_text(schedule.next_due_at, ctx.config.timezone, language))

        async def plan() -> None:
            run = await repos(ctx.uow).runs.get(ctx.run_id) if ctx.run_id else None
            schedule.rule_id = run.rule_id if run else None
            repo = repos(ctx.uow).schedules
            same = [s for s in await repo.active_for(item.id) if s.rule_id == schedule.rule_id]
            if same:  # entering the stage again keeps the schedule that runs
                ctx.result.update(schedule_id=same[0].id, kept=True)
                return
            await repo.add(schedule)
            ctx.result.update(schedule_id=schedule.id, first=str(schedule.next_due_at))
            await ctx.uow.publish(CopyScheduled(schedule.id))

        await ctx.effects.apply(describe, plan)

    async def validate(self, params: CopyParams, check: Validation) -> None:
        text = await checked_value(check, params.title) if params.title else None
        if text is not None and len(text.strip()) > MAX_TITLE:
            raise invalid_value(self.code, "title", InvalidInput(
                field="title", value=text[:40], problem=InputProblem.NOT_A_TITLE))
        if check.uow is None or check.stage is None:
            return
        own = await check.uow.catalog.get_pipeline(check.stage.pipeline_id)
        try:
            pipeline, stage = await _target(check.uow, params)
        except RunFailure:
            pipeline = None
        if pipeline is None or own is None or pipeline.type_code != own.type_code:
            raise invalid(self.code, "stage_id", WRONG_TARGET, pipeline=params.pipeline_id,
                          stage=params.stage_id or "-")
        if stage.id == check.stage.id:
            raise invalid(self.code, "stage_id", SAME_STAGE)

    def summary(self, params: CopyParams, language: str) -> str:
        if params.repeat == "once":
            return translate(self.name, language)
        every = repeat_text(Repeat(params.repeat), params.every, params.day, language)
        return f"{translate(self.name, language)}: {every}"


async def _target(uow: UnitOfWork, params: CopyParams) -> tuple[Pipeline, Stage]:
    pipeline = await uow.catalog.get_pipeline(params.pipeline_id)
    stages = await uow.catalog.list_stages(params.pipeline_id) if pipeline else []
    stage = next((s for s in stages if params.stage_id in (None, s.id)), None)
    if pipeline is None or stage is None:
        raise RunFailure(Reason.TARGET_GONE)
    return pipeline, stage


async def _copy(ctx: KindContext, stage_id: int, title: str | None) -> int:
    cause = automation_cause(ctx.run_id) if ctx.run_id else None
    try:
        copy = await copy_item(ctx.uow, ctx.subject.item, stage_id, ctx.now, title=title,
                             cause=cause)
    except AutomationLoop as loop:
        raise RunFailure(Reason.LOOP_DETECTED, depth=loop.params.get("depth", "?")) from loop
    except InvalidInput as error:
        raise failure(error) from error
    except AppError as error:
        raise RunFailure(Reason.COPY_REFUSED, detail=error.code) from error
    assert copy is not None  # only a schedule's occurrence can have been made before
    return copy.id


KIND = CopyItem()
