"""The rule dialog, the settings every rule has: execution, time (a preset or a typed phrase,
optionally only within working hours), condition (typed, or none) — and a new title when
one is being changed. Last of the feature's routers: it also answers wrong input."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.rules.callbacks import DialogCb, Step
from bot.rules.choices import EXECUTIONS, TIMING_PRESETS
from bot.rules.dialog_views import gone
from bot.rules.error_texts import rule_invalid_text, typed_condition_or_none
from bot.rules.flow import Flow
from bot.rules.states import RuleDialog
from rules.errors import RuleInvalid
from rules.services.validation import MAX_TITLE
from rules.timing_text import parse_timing

TEXT = F.text & ~F.text.startswith("/")


async def chose_execution(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    if not 0 <= callback_data.value < len(EXECUTIONS):
        await query.answer(gone(), show_alert=True)
        return
    await flow.state.update_data(execution=EXECUTIONS[callback_data.value].value)
    await flow.ask_timing()
    await query.answer()


async def toggle_working_hours(query: CallbackQuery, callback_data: DialogCb, flow: Flow
                               ) -> None:
    """value 0: the company's working hours; 1: the responsible person's own."""
    key = "responsible_hours" if callback_data.value == 1 else "working"
    await flow.state.update_data({key: not (await flow.data()).get(key)})
    await flow.ask_timing()
    await query.answer()


async def chose_timing(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    if not 0 <= callback_data.value < len(TIMING_PRESETS):
        await query.answer(gone(), show_alert=True)
        return
    data = await flow.data()
    preset = TIMING_PRESETS[callback_data.value]
    await flow.chose_timing(preset.model_copy(update={
        "working_hours_only": bool(data.get("working")),
        "responsible_hours": bool(data.get("responsible_hours"))}))
    await query.answer()


async def typed_timing(message: Message, flow: Flow) -> None:
    try:
        timing = parse_timing(message.text or "", flow.settings.timezone)
    except RuleInvalid as error:
        await message.answer(rule_invalid_text(error.params, flow.lang))
        return
    data = await flow.data()
    if data.get("working"):
        timing = timing.model_copy(update={"working_hours_only": True})
    if data.get("responsible_hours"):
        timing = timing.model_copy(update={"responsible_hours": True})
    await flow.chose_timing(timing)


async def no_condition(query: CallbackQuery, flow: Flow) -> None:
    await flow.chose_condition(None)
    await query.answer()


async def typed_condition(message: Message, flow: Flow) -> None:
    condition = await typed_condition_or_none(message)
    if condition is not None:
        await flow.chose_condition(condition)


async def typed_title(message: Message, flow: Flow) -> None:
    title = " ".join((message.text or "").split())
    if len(title) > MAX_TITLE:
        await message.answer(_("That title is too long (at most {limit} characters). "
                               "Try again.").format(limit=MAX_TITLE))
        return
    await flow.state.update_data(title=title)
    await flow.save()


async def took_title(query: CallbackQuery, flow: Flow) -> None:
    suggestion = (await flow.data()).get("suggested_title")
    if not suggestion:
        await query.answer(gone(), show_alert=True)
        return
    await flow.state.update_data(title=suggestion)
    await flow.save()
    await query.answer()


async def wrong_input(message: Message) -> None:
    await message.answer(_("Please use the buttons above, or type what I asked for; "
                           "/cancel stops."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(chose_execution, StateFilter(RuleDialog.execution),
                                   DialogCb.filter(F.step == Step.EXECUTION))
    router.callback_query.register(toggle_working_hours, StateFilter(RuleDialog.timing),
                                   DialogCb.filter(F.step == Step.WORKING_HOURS))
    router.callback_query.register(chose_timing, StateFilter(RuleDialog.timing),
                                   DialogCb.filter(F.step == Step.TIMING))
    router.message.register(typed_timing, StateFilter(RuleDialog.timing), TEXT)
    router.callback_query.register(no_condition, StateFilter(RuleDialog.condition),
                                   DialogCb.filter(F.step == Step.NO_CONDITION))
    router.message.register(typed_condition, StateFilter(RuleDialog.condition), TEXT)
    router.message.register(typed_title, StateFilter(RuleDialog.title), TEXT)
    router.callback_query.register(took_title, StateFilter(RuleDialog.title),
                                   DialogCb.filter(F.step == Step.TITLE))
    router.message.register(wrong_input, StateFilter(RuleDialog), ~F.text.startswith("/"))
    return router
