"""Move the item to another stage of its pipeline, which runs that stage's rules. A loop of
rules moving an item back and forth is stopped by the engine's guard (the move carries the
run as its cause, see rules.engine.planner) and fails the run with a clear reason."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from crm.errors import AlreadyInStage, NotFound
from crm.i18n import N_, translate
from crm.models import localized
from crm.services.item_moves import move_item
from rules.engine.planner import AutomationLoop, automation_cause
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, RunFailure, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import invalid
from rules.reason_codes import Reason

MOVE = N_("move the item to “{stage}”")
NOT_HERE = N_("stage {id} is not another stage of this pipeline")


class ChangeStageParams(Params):
    stage_id: int = Field(ge=1)


class ChangeStage(RuleKind[ChangeStageParams]):
    code = "change_stage"
    group = KindGroup.DATA
    name = N_("Move to another stage")
    params_model = ChangeStageParams
    questions = (Question("stage_id", Answer.STAGE, N_("To which stage?")),)
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.STAGE_GONE: N_("the stage {id} no longer exists in the item's pipeline"),
    }

    async def execute(self, ctx: KindContext, params: ChangeStageParams) -> None:
        item = ctx.subject.item
        target = await ctx.uow.catalog.get_stage(params.stage_id)
        if target is None or target.pipeline_id != item.pipeline_id:
            raise RunFailure(Reason.STAGE_GONE, id=params.stage_id)
        ctx.result.update(stage=target.name_en, stage_id=target.id)
        if target.id == ctx.subject.stage.id:
            ctx.result["unchanged"] = True
            return
        describe = translate(MOVE, ctx.config.default_language,
                             stage=localized(target, ctx.config.default_language))

        async def move() -> None:
            cause = automation_cause(ctx.run_id) if ctx.run_id else None
            try:
                await move_item(ctx.uow, None, item.id, target.id, ctx.now, cause=cause)
            except AutomationLoop as loop:
                depth = loop.params.get("depth", "?")
                raise RunFailure(Reason.LOOP_DETECTED, depth=depth) from loop
            except AlreadyInStage:
                ctx.result["unchanged"] = True
            except NotFound as gone:
                raise RunFailure(Reason.STAGE_GONE, id=params.stage_id) from gone

        await ctx.effects.apply(describe, move)

    async def validate(self, params: ChangeStageParams, check: Validation) -> None:
        if check.uow is None or check.stage is None:
            return
        target = await check.uow.catalog.get_stage(params.stage_id)
        if (target is None or target.pipeline_id != check.stage.pipeline_id
                or target.id == check.stage.id):
            raise invalid(self.code, "stage_id", NOT_HERE, id=params.stage_id)

    def summary(self, params: ChangeStageParams, language: str) -> str:
        return f"{translate(self.name, language)}: #{params.stage_id}"


KIND = ChangeStage()
