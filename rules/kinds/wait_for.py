"""Wait for the client's reply, or for a condition on the item, at most for a while
(Bitrix's "wait" with a condition): the rules after it ("after the previous rule") are
held until the client wrote (a message, a file, a button), the condition holds, or the
time-out passed — then they go on, and the run says which of the three it was.

The run stays open meanwhile (state waiting, due at the time-out): a client's message
wakes it at once (rules.engine.waits); a condition is checked again every CHECK_EVERY,
and whenever something wakes the run. /status says what it waits for and until when."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal, Self
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator, model_validator

from crm.i18n import N_, N_plural, translate, translate_plural
from rules.conditions import evaluate, format_condition, parse_condition
from rules.errors import ConditionError
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, Validation
from rules.kinds.questions import Answer, Question
from rules.recurring.texts import moment_text

CHECK_EVERY = timedelta(minutes=5)  # a condition waited for is checked again this often
UNITS = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1),
         "days": timedelta(days=1)}
FOR_REPLY = N_("wait for the client’s reply, at most until {until}")
FOR_CONDITION = N_("wait until {condition}, at most until {until}")
REPLIED = N_("go on: the client replied")
HOLDS = N_("go on: {condition}")
TIMED_OUT = N_("go on: waited until {until}")
NEEDS_CONDITION = N_("a wait for a condition needs the condition")
ONLY_WITH_CONDITION = N_("a condition goes with “until: condition”, and only there")
LONGEST = N_plural("at most {count} {unit}", "at most {count} {unit}")
UNIT_WORDS = {
    "minutes": N_plural("minute", "minutes"), "hours": N_plural("hour", "hours"),
    "days": N_plural("day", "days"),
}


class WaitForParams(Params):
    until: Literal["reply", "condition"] = "reply"
    condition: str | None = Field(None, min_length=1, max_length=500)  # as a rule's condition
    amount: int = Field(1, ge=1, le=10_000)  # the time-out: this many units after the start
    unit: Literal["minutes", "hours", "days"] = "days"

    @field_validator("condition")
    @classmethod
    def _canonical(cls, text: str | None) -> str | None:
        """Kept in the rules files' English form; a condition that cannot be read is left
        as typed, for `validate` to say where (with the parser's words)."""
        if text is None:
            return None
        try:
            return format_condition(parse_condition(text), "en")
        except ConditionError:
            return text

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.until == "condition" and self.condition is None:
            raise ValueError(NEEDS_CONDITION)
        if self.until == "reply" and self.condition is not None:
            raise ValueError(ONLY_WITH_CONDITION)
        return self

    @property
    def timeout(self) -> timedelta:
        return UNITS[self.unit] * self.amount

    def tree(self) -> dict[str, Any]:
        assert self.condition is not None  # until: condition
        return parse_condition(self.condition)


class WaitFor(RuleKind[WaitForParams]):
    code = "wait_for"
    group = KindGroup.FLOW
    name = N_("Wait for a reply or a condition")
    params_model = WaitForParams
    questions = (
        Question("until", Answer.CHOICE, N_("Wait for what?"),
                 choices=(("reply", N_("the client’s reply")),
                          ("condition", N_("a condition on the item")))),
        Question("condition", Answer.TEXT, N_("Which condition? (as for a rule’s condition)"),
                 example=N_("e.g. custom.paid = yes or amount > 1000"),
                 when=("until", "condition")),
        Question("amount", Answer.NUMBER, N_("How long at most? (a number; the unit next)"),
                 example=N_("e.g. 3")),
        Question("unit", Answer.CHOICE, N_("Minutes, hours or days?"),
                 choices=(("minutes", N_("minutes")), ("hours", N_("hours")),
                          ("days", N_("days")))),
    )

    async def execute(self, ctx: KindContext, params: WaitForParams) -> None:
        language, item = ctx.config.default_language, ctx.subject.item
        since = _moment(ctx.previous.get("since")) or ctx.now
        until = since + params.timeout
        shown_until = moment_text(until, ctx.config.timezone, language)
        condition = format_condition(params.tree(), language) if params.condition else ""
        ctx.result.update(waits_for=params.until, since=since.isoformat(),
                          until=until.isoformat())
        if params.condition:
            ctx.result["condition"] = params.condition
        if params.until == "reply":
            released = await ctx.uow.timeline.client_wrote_since(item.id, since)
        else:
            released = evaluate(params.tree(), ctx.subject,
                                ZoneInfo(ctx.config.timezone)).passed
        if released:
            ctx.result["released"] = params.until
            said = REPLIED if params.until == "reply" else HOLDS
            describe = translate(said, language, condition=condition)
        elif ctx.now >= until:
            ctx.result["released"] = "timeout"
            describe = translate(TIMED_OUT, language, until=shown_until)
        else:
            check = until if params.until == "reply" else min(until, ctx.now + CHECK_EVERY)
            ctx.hold_until = check
            describe = (translate(FOR_REPLY, language, until=shown_until)
                        if params.until == "reply" else
                        translate(FOR_CONDITION, language, condition=condition,
                                  until=shown_until))
        # a wait changes nothing, but is executed in the run's own transaction: what it
        # reads (the client's messages) is then what the apply step sees
        await ctx.effects.apply(describe, _nothing)

    async def validate(self, params: WaitForParams, check: Validation) -> None:
        if params.condition is not None:
            parse_condition(params.condition)  # ConditionError says where

    def summary(self, params: WaitForParams, language: str) -> str:
        unit = translate_plural(*UNIT_WORDS[params.unit], params.amount, language)
        longest = translate_plural(*LONGEST, params.amount, language, count=params.amount,
                                   unit=unit)
        if params.until == "reply":
            what = translate(N_("the client’s reply"), language)
        else:
            what = format_condition(params.tree(), language) if _reads(params.condition) \
                else str(params.condition)
        return f"{translate(self.name, language)}: {what}, {longest}"


def _reads(condition: str | None) -> bool:
    try:
        parse_condition(condition or "")
    except ConditionError:
        return False
    return True


def _moment(stored: object) -> datetime | None:
    return datetime.fromisoformat(stored) if isinstance(stored, str) else None


async def _nothing() -> None:
    return None


KIND = WaitFor()
