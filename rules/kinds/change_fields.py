"""Change several fields of the item at once: one rule, several `field = value` (each value
plain or a template, as with "change a field"). Every value is computed and checked first,
then all are written together: a value that does not fit fails the run and changes none."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, field_validator

from crm.errors import InputProblem, InvalidInput
from crm.i18n import N_, translate
from crm.services.editing import field_name
from crm.services.item_edits import FieldValue, check_field, parse_value, update_field
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import (
    VALUE_REASONS,
    checked_value,
    failure,
    invalid_value,
    is_template,
    value_of,
)
from rules.reason_codes import Reason

MAX_CHANGES = 10
LABELS = {"title": N_("title"), "amount": N_("amount"), "currency": N_("currency"),
          "probability": N_("probability")}
# the phrases of "change a field", joined: "set amount to “200.00”, clear custom.x"
SET = N_("set {field} to “{value}”")
CLEARED = N_("clear {field}")
NOT_A_LINE = N_("write one change per line as field = value (e.g. amount = 1200)")
# the message id of "change a field" (its German exists): a check's message is an id
UNKNOWN = N_("the field is title, amount, currency, probability or custom.<name>")
TOO_LONG = N_("a value is longer than 2000 characters")
TOO_MANY = N_("at most 10 fields at once")


def read_changes(text: str) -> dict[str, str]:
    """`field = value` lines (the wizard's typed answer) as changes; raises ValueError."""
    changes: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition("=")
        if not sep or not name.strip():
            raise ValueError(NOT_A_LINE)
        changes[name.strip()] = value.strip()
    return changes


class ChangeFieldsParams(Params):
    # "field = value" lines (each value a template, or empty: clears an amount or a custom
    # field), kept canonical: the dialog shows them back as typed, a rules file reads them.
    # A mapping {field: value} is taken too (a rules file written by hand).
    changes: str = Field(min_length=1, max_length=MAX_CHANGES * 2100)

    @field_validator("changes", mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return "\n".join(f"{k} = {v if v is not None else ''}" for k, v in value.items())
        return value

    @field_validator("changes")
    @classmethod
    def _known(cls, text: str) -> str:
        known: dict[str, str] = {}
        for name, value in read_changes(text).items():
            try:
                known[check_field(field_name(name))] = value
            except InvalidInput as exc:
                raise ValueError(UNKNOWN) from exc
            if len(value) > 2000:
                raise ValueError(TOO_LONG)
        if not known:
            raise ValueError(NOT_A_LINE)
        if len(known) > MAX_CHANGES:
            raise ValueError(TOO_MANY)
        return "\n".join(f"{name} = {value}" for name, value in known.items())

    @property
    def pairs(self) -> dict[str, str]:
        """{field: value}, in the order written."""
        return read_changes(self.changes)


class ChangeFields(RuleKind[ChangeFieldsParams]):
    code = "change_fields"
    group = KindGroup.DATA
    name = N_("Change several fields")
    params_model = ChangeFieldsParams
    questions = (
        Question("changes", Answer.TEXT,
                 N_("Which fields, and their new values? One per line: field = value "
                    "(title, amount, currency, probability or custom.<name>; a value may "
                    "use {{ … }}; nothing after = clears the field)"),
                 example=N_("e.g.\namount = {{ item.amount * 1.19 }}\nprobability = 80")),
    )
    reasons: ClassVar[dict[Reason, str]] = VALUE_REASONS

    async def execute(self, ctx: KindContext, params: ChangeFieldsParams) -> None:
        item = ctx.subject.item
        planned: list[FieldValue] = []
        for name, raw in params.pairs.items():
            text, computed = await value_of(ctx, raw)
            try:
                change = parse_value(name, text, computed)
                if change.field == "amount" and item.products:
                    raise InvalidInput(field="amount", value=text,
                                       problem=InputProblem.FROM_PRODUCTS)
            except InvalidInput as error:
                raise failure(error) from error
            planned.append(change)
        shown = {c.field: "" if c.value is None else str(c.value) for c in planned}
        ctx.result.update(changed=shown)
        language = ctx.config.default_language

        async def write() -> None:
            for change in planned:
                try:
                    await update_field(ctx.uow, item.id, change, ctx.now)
                except InvalidInput as error:
                    raise failure(error) from error

        await ctx.effects.apply(describe(shown, language), write)

    async def validate(self, params: ChangeFieldsParams, check: Validation) -> None:
        for name, raw in params.pairs.items():
            text = await checked_value(check, raw)
            try:
                if text is not None:
                    parse_value(name, text)
            except InvalidInput as error:
                raise invalid_value(self.code, "changes", error) from error

    def summary(self, params: ChangeFieldsParams, language: str) -> str:
        """The fields by their names in `language`; a plain short value with them (a
        template's text would make a poor title)."""
        parts = []
        for name, value in params.pairs.items():
            value = " ".join(value.split())
            shown = value and not is_template(value) and len(value) <= 25
            parts.append(f"{label(name, language)} = {value}" if shown
                         else label(name, language))
        return f"{translate(self.name, language)}: {', '.join(parts)}"


def label(field: str, language: str) -> str:
    return translate(LABELS[field], language) if field in LABELS else field


def describe(changes: dict[str, str], language: str) -> str:
    return ", ".join(translate(CLEARED, language, field=label(f, language)) if not v
                     else translate(SET, language, field=label(f, language), value=v)
                     for f, v in changes.items())


KIND = ChangeFields()
