"""Complete the item's open activities (Bitrix's "complete activities"): all of them, or only
calls, meetings or tasks, optionally only those of one team member. Each is marked done as
if its assignee had pressed "done" — its reminder stays quiet and the "activity done"
triggers fire."""

from __future__ import annotations

from typing import Literal

from crm.errors import Entity, NotFound
from crm.events import ActivityDone
from crm.i18n import N_, N_plural, quoted, translate, translate_plural
from crm.models import Activity
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, Validation
from rules.kinds.questions import Answer, Question

DONE = N_plural("mark {count} open activity done: {subjects}",
                "mark {count} open activities done: {subjects}")
NONE_OPEN = N_("complete nothing: the item has no open activities of that kind")
WHICH = {"any": N_("all open activities"), "call": N_("open calls"),
         "meeting": N_("open meetings"), "task": N_("open tasks")}
OF_MEMBER = N_("{which} of one team member")
SHOWN = 5  # subjects test mode names


class CompleteParams(Params):
    activity: Literal["any", "call", "meeting", "task"] = "any"
    user_id: int | None = None  # only this assignee's; None: everyone's


class CompleteActivities(RuleKind[CompleteParams]):
    code = "complete_activities"
    group = KindGroup.EMPLOYEE
    name = N_("Complete open activities")
    params_model = CompleteParams
    questions = (
        Question("activity", Answer.CHOICE, N_("Which activities?"),
                 choices=(("any", N_("all of them")), ("call", N_("calls")),
                          ("meeting", N_("meetings")), ("task", N_("tasks")))),
        Question("user_id", Answer.STAFF, N_("Only those of whom? (Skip: everyone’s)"),
                 optional=True),
    )

    async def execute(self, ctx: KindContext, params: CompleteParams) -> None:
        item, language = ctx.subject.item, ctx.config.default_language
        found = [a for a in await ctx.uow.activities.open_for_item(item.id)
                 if params.activity in ("any", a.kind)
                 and params.user_id in (None, a.assignee_id)]
        ctx.result.update(completed=[a.id for a in found])
        if not found:
            await ctx.effects.apply(translate(NONE_OPEN, language), _nothing)
            return
        subjects = ", ".join(quoted(a.subject, language) for a in found[:SHOWN])
        subjects += ", …" if len(found) > SHOWN else ""
        describe = translate_plural(*DONE, len(found), language, count=len(found),
                                    subjects=subjects)

        async def write() -> None:
            await _complete(ctx, found)

        await ctx.effects.apply(describe, write)

    async def validate(self, params: CompleteParams, check: Validation) -> None:
        if params.user_id is not None and not await check.lookup("staff", params.user_id):
            raise NotFound(what=Entity.STAFF, ref=params.user_id)

    def summary(self, params: CompleteParams, language: str) -> str:
        which = translate(WHICH[params.activity], language)
        if params.user_id is not None:
            which = translate(OF_MEMBER, language, which=which)
        return f"{translate(self.name, language)}: {which}"


async def _complete(ctx: KindContext, activities: list[Activity]) -> None:
    """Marks each done (one done meanwhile is left alone) and says so, as a press would."""
    for activity in activities:
        if await ctx.uow.activities.mark_done(activity.id, ctx.now):
            await ctx.uow.publish(ActivityDone(activity.id, activity.item_id, None, ctx.now))


async def _nothing() -> None:
    return None


KIND = CompleteActivities()
