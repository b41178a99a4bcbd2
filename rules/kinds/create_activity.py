"""Create an activity — a call, meeting or task — for the responsible person or a given
staff member, with a subject (a template) and a deadline relative to now or to a date
field of the item. The assignee gets it in Telegram with a "done" button."""

from __future__ import annotations

from datetime import datetime
from html import unescape
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from crm.errors import AppError, Entity, NotFound
from crm.i18n import N_, quoted, translate
from crm.models import Activity
from crm.services.activities import MAX_SUBJECT, add_activity
from rules.activity_texts import activity_buttons, assigned_text, kind_name, when
from rules.errors import RuleInvalid
from rules.kinds import recipients
from rules.kinds.base import (
    KindContext,
    KindGroup,
    Params,
    Recipient,
    RuleKind,
    RunFailure,
    Validation,
)
from rules.kinds.questions import Answer, Question
from rules.model import Timing
from rules.reason_codes import Reason
from rules.rendering import TemplateSource
from rules.timing import TimingProblem, compute_due
from rules.timing_text import format_timing, parse_timing
from rules.timing_words import timing_words

# What the rule does, in test mode and /status: "Anruf „Anrufen“ für Anna, fällig …".
CREATES = N_("{activity} {subject} for {name}, due {due}")


class ActivityParams(Params):
    activity: Literal["call", "meeting", "task"] = "task"
    subject: str = Field(min_length=1, max_length=1000)  # a template: "Call {{ contact.name }}"
    # None: no deadline. Written like a rule's time: "after 2 hours", "1 day before
    # custom.deadline", "at 2026-12-01 09:00" (relative to when the rule runs); kept in
    # the canonical English form.
    deadline: str | None = Field(None, max_length=120)
    user_id: int | None = None  # None: the item's responsible person

    @field_validator("deadline", mode="before")
    @classmethod
    def _phrase(cls, value: Any) -> Any:
        try:
            if isinstance(value, dict):
                return format_timing(Timing.model_validate(value))
            return format_timing(parse_timing(value)) if isinstance(value, str) else value
        except RuleInvalid as error:
            raise ValueError(str(error.params.get("reason"))) from error

    @property
    def timing(self) -> Timing | None:
        return parse_timing(self.deadline) if self.deadline else None


class CreateActivity(RuleKind[ActivityParams]):
    code = "create_activity"
    group = KindGroup.EMPLOYEE
    name = N_("Create an activity")
    params_model = ActivityParams
    questions = (
        Question("activity", Answer.CHOICE, N_("What kind of activity?"),
                 choices=(("call", N_("a call")), ("meeting", N_("a meeting")),
                          ("task", N_("a task")))),
        Question("subject", Answer.TEXT, N_("Its subject?"),
                 example=N_("e.g. Follow up the quote")),
        Question("deadline", Answer.TEXT, N_("When is it due?"), optional=True,
                 example=N_("e.g. after 2 days")),
        Question("user_id", Answer.STAFF, N_("For whom? (Skip: the responsible person)"),
                 optional=True),
    )
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.NO_RESPONSIBLE: N_("nobody is responsible for the item"),
        Reason.EMPTY_SUBJECT: N_("the subject of the activity came out empty"),
        Reason.ACTIVITY_REFUSED: N_("the activity could not be created: {detail}"),
    }

    async def execute(self, ctx: KindContext, params: ActivityParams) -> None:
        assignee = await _assignee(ctx, params)
        subject = await _subject(ctx, params, assignee.language)
        deadline = _deadline(ctx, params)
        item = ctx.subject.item
        created: list[Activity] = []

        async def change() -> None:
            try:
                created.append(await add_activity(
                    ctx.uow, None, item.id, params.activity, subject, deadline,
                    assignee.chat_id, ctx.now))
            except AppError as error:
                raise RunFailure(Reason.ACTIVITY_REFUSED, detail=error.code) from error

        language = ctx.config.default_language  # as the other kinds' descriptions
        due = when(deadline, language, ctx.config.timezone) if deadline else "—"
        await ctx.effects.apply(translate(
            CREATES, language, activity=kind_name(params.activity, language),
            subject=quoted(subject, language), name=assignee.name, due=due), change)
        activity_id = created[0].id if created else None
        ctx.result.update(activity_id=activity_id, recipient=assignee.name, role="staff")
        text = assigned_text(params.activity, subject, deadline, item, assignee.language,
                             ctx.config.timezone)
        await ctx.effects.send_message(
            assignee, text, activity_buttons(activity_id, item.id, assignee.language))

    async def validate(self, params: ActivityParams, check: Validation) -> None:
        if params.user_id is not None and not await check.lookup("staff", params.user_id):
            raise NotFound(what=Entity.STAFF, ref=params.user_id)
        await check.renderer.validate(TemplateSource(text=params.subject),
                                      check.renderer.context(check.sample, "en", check.now))

    def summary(self, params: ActivityParams, language: str) -> str:
        text = " ".join(params.subject.split())
        text = f"{text[:40]}…" if len(text) > 40 else text
        due = f", {_deadline_words(params.deadline, language)}" if params.deadline else ""
        activity = kind_name(params.activity, language)
        return f"{translate(self.name, language)}: {activity} {quoted(text, language)}{due}"


async def _assignee(ctx: KindContext, params: ActivityParams) -> Recipient:
    if params.user_id is not None:
        return await recipients.staff_member(ctx, params.user_id)
    return recipients.responsible(ctx)


async def _subject(ctx: KindContext, params: ActivityParams, language: str) -> str:
    context = ctx.renderer.context(ctx.subject, language, ctx.now)
    rendered = await ctx.renderer.render(TemplateSource(text=params.subject), context)
    subject = " ".join(unescape(rendered).split())  # stored as plain text, escaped when shown
    if not subject:
        raise RunFailure(Reason.EMPTY_SUBJECT)
    return subject if len(subject) <= MAX_SUBJECT else subject[: MAX_SUBJECT - 1] + "…"


def _deadline(ctx: KindContext, params: ActivityParams) -> datetime | None:
    timing = params.timing
    if timing is None:
        return None
    try:
        return compute_due(timing, ctx.now, ctx.subject.item, ctx.config.working_hours)
    except TimingProblem as problem:
        raise RunFailure(problem.reason, **problem.params) from problem


KIND = CreateActivity()


def _deadline_words(deadline: str, language: str) -> str:
    """The deadline as the reader writes a time ("nach 2 Stunden"); as typed if unreadable."""
    try:
        return timing_words(parse_timing(deadline), language)
    except RuleInvalid:
        return deadline
