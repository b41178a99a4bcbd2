"""Change a field of the item: title, amount, currency, probability or a custom field, to a
value written in the rule or computed by a template (`{{ item.amount * 1.19 }}`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from crm.errors import InputProblem, InvalidInput
from crm.i18n import N_, translate
from crm.services.item_edits import check_field, parse_value, update_field
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import VALUE_REASONS, checked_value, failure, invalid_value, value_of
from rules.reason_codes import Reason

SET = N_("set {field} to “{value}”")
CLEAR = N_("clear {field}")


class ChangeFieldParams(Params):
    field: str = Field(min_length=1, max_length=60)
    value: str = Field("", max_length=2000)  # empty clears amount and custom fields

    @field_validator("field")
    @classmethod
    def _known(cls, name: str) -> str:
        try:
            return check_field(name.strip())
        except InvalidInput as exc:
            raise ValueError(N_("the field is title, amount, currency, probability or "
                             "custom.<name>")) from exc


class ChangeField(RuleKind[ChangeFieldParams]):
    code = "change_field"
    group = KindGroup.DATA
    name = N_("Change a field")
    params_model = ChangeFieldParams
    questions = (
        Question("field", Answer.CHOICE, N_("Which field?"),
                 choices=(("title", N_("title")), ("amount", N_("amount")),
                          ("currency", N_("currency")), ("probability", N_("probability")))),
        Question("value", Answer.TEXT, N_("Its new value? (Skip: clear it)"), optional=True,
                 example=N_("e.g. 18.000")),
    )
    reasons: ClassVar[dict[Reason, str]] = VALUE_REASONS

    async def execute(self, ctx: KindContext, params: ChangeFieldParams) -> None:
        text, computed = await value_of(ctx, params.value)
        item = ctx.subject.item
        try:
            change = parse_value(params.field, text, computed)
            if change.field == "amount" and item.products:
                raise InvalidInput(field="amount", value=text, problem=InputProblem.FROM_PRODUCTS)
        except InvalidInput as error:
            raise failure(error) from error
        shown = "" if change.value is None else str(change.value)
        ctx.result.update(field=change.field, value=shown)
        language = ctx.config.default_language
        describe = (translate(CLEAR, language, field=change.field) if change.value is None
                    else translate(SET, language, field=change.field, value=shown))

        async def write() -> None:
            try:
                await update_field(ctx.uow, item.id, change, ctx.now)
            except InvalidInput as error:
                raise failure(error) from error

        await ctx.effects.apply(describe, write)

    async def validate(self, params: ChangeFieldParams, check: Validation) -> None:
        text = await checked_value(check, params.value)
        try:
            if text is not None:
                parse_value(params.field, text)
        except InvalidInput as error:
            raise invalid_value(self.code, "value", error) from error

    def summary(self, params: ChangeFieldParams, language: str) -> str:
        value = " ".join(params.value.split())
        value = value if len(value) <= 40 else value[:39] + "…"
        return f"{translate(self.name, language)}: {params.field} = {value}"


KIND = ChangeField()
