"""A rule's condition put together with buttons: a field, a comparison, a value (a button
where the values are known, typed otherwise), then "and …", "or …" or done. What is built
is the condition's English text, read by the same parser as a typed condition."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.rules.browse_views import choice_keyboard
from bot.rules.callbacks import DialogCb, Step
from bot.rules.dialog_views import gone
from bot.rules.error_texts import condition_error_text
from bot.rules.flow import Flow
from bot.rules.states import RuleDialog
from crm.i18n import translate
from rules.conditions import format_condition, parse_condition
from rules.conditions.fields import FieldType, field_label, field_type, short_name
from rules.conditions.labels import VALUE_LABELS, words
from rules.conditions.tree import quote
from rules.errors import ConditionError

TEXT = F.text & ~F.text.startswith("/")
FIELDS = ("item.amount", "item.currency", "item.title", "item.source", "item.products",
          "contact.name", "contact.email", "contact.phone", "company.name", "responsible.name")
OPERATORS = {
    FieldType.NUMBER: ("=", "!=", ">", ">=", "<", "<=", "empty", "not_empty"),
    FieldType.TEXT: ("=", "!=", "contains", "not_contains", "empty", "not_empty"),
    FieldType.LIST: ("contains", "not_contains", "empty", "not_empty"),
}
SYNTAX = {"contains": "contains", "not_contains": "not contains", "empty": "is empty",
          "not_empty": "is not empty"}  # the parser's words for the text built
SYMBOLS = {"!=": "≠", ">=": "≥", "<=": "≤"}


def operators(field: str) -> tuple[str, ...]:
    return OPERATORS.get(field_type(field), OPERATORS[FieldType.TEXT])


def operator_label(field: str, op: str, lang: str) -> str:
    if op in words(lang):
        return words(lang)[op]
    if field_type(field) is FieldType.NUMBER:
        return SYMBOLS.get(op, op)
    return _("is") if op == "=" else _("is not")


def values(field: str) -> list[tuple[str, str]]:
    """(stored value, message id of its label) for fields whose values are known."""
    return list(VALUE_LABELS.get(field, {}).items())


async def _show(flow: Flow, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    await flow.show(text + "\n" + _("(/cancel to stop)"), markup)


async def start(query: CallbackQuery, flow: Flow) -> None:
    await flow.state.update_data(built="")
    await _ask_field(flow)
    await query.answer()


async def _ask_field(flow: Flow) -> None:
    await flow.state.set_state(RuleDialog.building)
    buttons: list[tuple[str, CallbackData]] = [
        (field_label(f, flow.lang), DialogCb(step=Step.COND_FIELD, value=i))
        for i, f in enumerate(FIELDS)]
    await _show(flow, _so_far(await flow.data(), flow.lang) + _("Which field should it check?"),
                choice_keyboard(buttons))


def _so_far(data: dict[str, Any], lang: str) -> str:
    built = str(data.get("built") or "")
    if not built:
        return ""
    joiner = words(lang)["and" if data.get("joiner") == "and" else "or"]
    return _("So far: {condition}").format(condition=escape(
        format_condition(parse_condition(built), lang))) + f" {joiner} …\n"


async def chose_field(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    if not 0 <= callback_data.value < len(FIELDS):
        await query.answer(gone(), show_alert=True)
        return
    field = FIELDS[callback_data.value]
    await flow.state.update_data(field=field)
    buttons: list[tuple[str, CallbackData]] = [
        (operator_label(field, op, flow.lang), DialogCb(step=Step.COND_OP, value=i))
        for i, op in enumerate(operators(field))]
    await _show(flow, _("<b>{field}</b> – how should it compare?").format(
        field=escape(field_label(field, flow.lang))), choice_keyboard(buttons))
    await query.answer()


async def chose_operator(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    field = str((await flow.data()).get("field") or "")
    ops = operators(field) if field else ()
    if not 0 <= callback_data.value < len(ops):
        await query.answer(gone(), show_alert=True)
        return
    op = ops[callback_data.value]
    await flow.state.update_data(op=op)
    if op in ("empty", "not_empty"):
        await _add(flow, field, op, None)
    elif values(field):
        buttons: list[tuple[str, CallbackData]] = [
            (translate(label, flow.lang), DialogCb(step=Step.COND_VALUE, value=i))
            for i, (_value, label) in enumerate(values(field))]
        await _show(flow, _("Which value?"), choice_keyboard(buttons))
    else:
        await flow.state.set_state(RuleDialog.building_value)
        example = "15000" if field_type(field) is FieldType.NUMBER else ""
        await _show(flow, _("Which value? Please type it (e.g. {example}).").format(
            example=example) if example else _("Which value? Please type it."))
    await query.answer()


async def chose_value(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    data = await flow.data()
    known = values(str(data.get("field") or ""))
    if not 0 <= callback_data.value < len(known):
        await query.answer(gone(), show_alert=True)
        return
    await _add(flow, str(data["field"]), str(data["op"]), known[callback_data.value][0])
    await query.answer()


async def typed_value(message: Message, flow: Flow) -> None:
    data = await flow.data()
    await _add(flow, str(data["field"]), str(data["op"]), (message.text or "").strip())


async def _add(flow: Flow, field: str, op: str, value: str | None) -> None:
    """The comparison joins what was built; a value that does not fit is asked again."""
    data = await flow.data()
    piece = f"{short_name(field)} {SYNTAX.get(op, op)}"
    piece += "" if value is None else f" {quote(value)}"
    built = str(data.get("built") or "")
    text = f"{built} {data.get('joiner') or 'and'} {piece}" if built else piece
    try:
        condition = parse_condition(text)
    except ConditionError as error:
        await flow.say(condition_error_text(error.params))
        return
    await flow.state.update_data(built=text)
    await flow.state.set_state(RuleDialog.building)
    buttons: list[tuple[str, CallbackData]] = [
        (_("➕ and …"), DialogCb(step=Step.COND_MORE, value=0)),
        (_("➕ or …"), DialogCb(step=Step.COND_MORE, value=1)),
        (_("✅ That is all"), DialogCb(step=Step.COND_DONE))]
    await _show(flow, _("The condition: {condition}").format(
        condition=escape(format_condition(condition, flow.lang))), choice_keyboard(buttons))


async def more(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    await flow.state.update_data(joiner="or" if callback_data.value else "and")
    await _ask_field(flow)
    await query.answer()


async def done(query: CallbackQuery, flow: Flow) -> None:
    built = str((await flow.data()).get("built") or "")
    if not built:
        await query.answer(gone(), show_alert=True)
        return
    await flow.chose_condition(parse_condition(built))
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    cb = router.callback_query.register
    cb(start, StateFilter(RuleDialog.condition), DialogCb.filter(F.step == Step.BUILD))
    cb(chose_field, StateFilter(RuleDialog.building), DialogCb.filter(F.step == Step.COND_FIELD))
    cb(chose_operator, StateFilter(RuleDialog.building), DialogCb.filter(F.step == Step.COND_OP))
    cb(chose_value, StateFilter(RuleDialog.building), DialogCb.filter(F.step == Step.COND_VALUE))
    cb(more, StateFilter(RuleDialog.building), DialogCb.filter(F.step == Step.COND_MORE))
    cb(done, StateFilter(RuleDialog.building), DialogCb.filter(F.step == Step.COND_DONE))
    router.message.register(typed_value, StateFilter(RuleDialog.building_value), TEXT)
    return router
