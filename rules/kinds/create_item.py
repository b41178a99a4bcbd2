"""Create an item of another type from this one (Bitrix's "create document": a deal's
invoice, a quote from a lead): with the item's contact, company, responsible person,
products, amount and custom fields, titled as the item or by a template. The new item
starts in the first stage of its type's pipeline, where that stage's rules run for it, and
its card names the item it was made from."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from babel.numbers import format_currency
from pydantic import Field, field_validator

from crm.errors import AppError, InputProblem, InvalidInput
from crm.i18n import N_, N_plural, babel_locale, translate, translate_plural
from crm.models import localized
from crm.services.copies import create_from
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

CREATE = N_("create the {type} “{title}” in “{pipeline}” / “{stage}”{carrying}")
WITH_PRODUCTS = N_plural("with {count} product, {amount}", "with {count} products, {amount}")
WITH_AMOUNT = N_("with the amount {amount}")
NO_TYPE = N_("there is no item type “{type}”")
NO_SUCH_PIPELINE = N_("pipeline {pipeline} is not a pipeline of “{type}”")
TYPES = (("invoice", N_("an invoice")), ("quote", N_("a quote")), ("deal", N_("a deal")),
         ("lead", N_("a lead")))


class CreateItemParams(Params):
    to: str = Field(min_length=1, max_length=40)  # the new item's type: invoice, quote, …
    pipeline_id: int | None = Field(None, ge=1)  # None: the type's default pipeline
    title: str | None = Field(None, min_length=1, max_length=500)  # template; None: the same

    @field_validator("to")
    @classmethod
    def _code(cls, value: str) -> str:
        return value.strip().lower()


class CreateItem(RuleKind[CreateItemParams]):
    code = "create_item"
    group = KindGroup.PAPERWORK
    name = N_("Create an item of another type")
    params_model = CreateItemParams
    questions = (
        Question("to", Answer.CHOICE, N_("What should be created from the item?"),
                 choices=TYPES),
        Question("title", Answer.TEXT, N_("Its title? (Skip: the item’s title)"),
                 optional=True, example=N_("e.g. Invoice for {{ item.title }}")),
    )
    reasons: ClassVar[dict[Reason, str]] = {
        **VALUE_REASONS,
        Reason.NO_PIPELINE: N_("the type “{type}” or its pipeline no longer exists"),
        Reason.CREATE_REFUSED: N_("the new item could not be created ({detail})"),
    }

    async def execute(self, ctx: KindContext, params: CreateItemParams) -> None:
        item, language = ctx.subject.item, ctx.config.default_language
        names = await _target(ctx.uow, params, language)
        title = (await value_of(ctx, params.title))[0] if params.title else item.title
        carrying = ""
        if item.products:
            total = _money(item.amount, item.currency, language)
            carrying = " " + translate_plural(*WITH_PRODUCTS, len(item.products), language,
                                              count=len(item.products), amount=total)
        elif item.amount is not None:
            carrying = " " + translate(WITH_AMOUNT, language,
                                       amount=_money(item.amount, item.currency, language))
        describe = translate(CREATE, language, title=" ".join(title.split()), **names,
                             carrying=carrying)

        async def make() -> None:
            cause = automation_cause(ctx.run_id) if ctx.run_id else None
            try:
                made, _stage = await create_from(ctx.uow, item, params.to, params.pipeline_id,
                                                 ctx.now, title=title, cause=cause)
            except AutomationLoop as loop:
                raise RunFailure(Reason.LOOP_DETECTED,
                                 depth=loop.params.get("depth", "?")) from loop
            except InvalidInput as error:
                raise failure(error) from error
            except AppError as error:
                raise RunFailure(Reason.CREATE_REFUSED, detail=error.code) from error
            ctx.result.update(created_id=made.id, type=params.to)

        await ctx.effects.apply(describe, make)

    async def validate(self, params: CreateItemParams, check: Validation) -> None:
        text = await checked_value(check, params.title) if params.title else None
        if text is not None and len(" ".join(text.split())) > MAX_TITLE:
            raise invalid_value(self.code, "title", InvalidInput(
                field="title", value=text[:40], problem=InputProblem.NOT_A_TITLE))
        if check.uow is None:
            return
        if await check.uow.catalog.get_type(params.to) is None:
            raise invalid(self.code, "to", NO_TYPE, type=params.to)
        try:
            await _target(check.uow, params, "en")
        except RunFailure as gone:
            raise invalid(self.code, "pipeline_id", NO_SUCH_PIPELINE,
                          pipeline=params.pipeline_id or "-", type=params.to) from gone

    def summary(self, params: CreateItemParams, language: str) -> str:
        label = dict(TYPES).get(params.to)
        shown = translate(label, language) if label else params.to
        return f"{translate(self.name, language)}: {shown}"


async def _target(uow: UnitOfWork, params: CreateItemParams, language: str) -> dict[str, str]:
    """The new item's type, pipeline and first stage by name; RunFailure when gone."""
    kind = await uow.catalog.get_type(params.to)
    pipelines = await uow.catalog.list_pipelines(params.to) if kind else []
    pipeline = next((p for p in pipelines if p.id == params.pipeline_id), None) \
        if params.pipeline_id else next((p for p in pipelines if p.is_default),
                                        pipelines[0] if pipelines else None)
    stages = await uow.catalog.list_stages(pipeline.id) if pipeline else []
    if kind is None or pipeline is None or not stages:
        raise RunFailure(Reason.NO_PIPELINE, type=params.to)
    return {"type": localized(kind, language), "pipeline": localized(pipeline, language),
            "stage": localized(stages[0], language)}


def _money(amount: Decimal | None, currency: str, language: str) -> str:
    return str(format_currency(amount or Decimal(0), currency, locale=babel_locale(language)))


KIND = CreateItem()
