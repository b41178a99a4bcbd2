"""Adding a trigger with buttons (/triggers new, or ➕ under /triggers): the type, pipeline
and stage it moves items into, its event, for a field's change the field (from a list, or
a custom field typed) and optionally the value, then an optional condition typed in the
rules' condition language (German or English) and whether it may move items back."""

from __future__ import annotations

from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import localized
from bot.common.replies import edit_or_send
from bot.rules.error_texts import typed_condition_or_none
from bot.triggers import dialog_views as views
from bot.triggers.callbacks import DialogStep, TriggerAction, TriggerCb, TriggerDialogCb
from bot.triggers.http import TriggerHooks
from bot.triggers.states import TriggerDialog
from bot.triggers.views import field_text, trigger_text
from crm.access import require_settings_right
from crm.container import CrmServices
from crm.errors import InvalidInput
from crm.models import Staff
from crm.services.item_edits import check_field, parse_value
from rules.triggers.admin import TriggerDetails
from rules.triggers.model import TriggerEvent
from rules.workflow import Workflow

TEXT = F.text & ~F.text.startswith("/")
Answer = Message | CallbackQuery


async def _show(event: Answer, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    if isinstance(event, CallbackQuery):
        await edit_or_send(event, text, markup)
        await event.answer()
    else:
        await event.answer(text, reply_markup=markup)


async def start(event: Answer, state: FSMContext, services: CrmServices, staff: Staff,
                lang: str) -> None:
    require_settings_right(staff)
    await state.clear()
    await state.set_state(TriggerDialog.type)
    await _show(event, views.type_question(),
                views.types_keyboard(await services.catalog.types(), lang))


async def start_from_list(query: CallbackQuery, state: FSMContext, services: CrmServices,
                          staff: Staff, lang: str) -> None:
    await start(query, state, services, staff, lang)


async def chose_type(query: CallbackQuery, callback_data: TriggerDialogCb, state: FSMContext,
                     services: CrmServices, lang: str) -> None:
    chosen = next((t for t in await services.catalog.types()
                   if t.position == callback_data.value), None)
    if chosen is None:
        await query.answer(views.gone(), show_alert=True)
        return
    pipelines = await services.catalog.pipelines(chosen.code)
    if len(pipelines) == 1:
        await _ask_stage(query, state, services, pipelines[0].id, lang)
        return
    await state.set_state(TriggerDialog.pipeline)
    await _show(query, views.pipeline_question(), views.pipelines_keyboard(pipelines, lang))


async def chose_pipeline(query: CallbackQuery, callback_data: TriggerDialogCb,
                         state: FSMContext, services: CrmServices, lang: str) -> None:
    await _ask_stage(query, state, services, callback_data.value, lang)


async def _ask_stage(query: CallbackQuery, state: FSMContext, services: CrmServices,
                     pipeline_id: int, lang: str) -> None:
    _pipeline, stages = await services.catalog.pipeline(pipeline_id)
    await state.set_state(TriggerDialog.stage)
    await _show(query, views.stage_question(), views.stages_keyboard(stages, lang))


async def chose_stage(query: CallbackQuery, callback_data: TriggerDialogCb, state: FSMContext,
                      services: CrmServices, lang: str) -> None:
    stage = await services.catalog.stage(callback_data.value)
    await state.update_data(stage_id=stage.id, stage_name=localized(stage, lang))
    await state.set_state(TriggerDialog.event)
    await _show(query, views.event_question(localized(stage, lang)), views.events_keyboard())


async def chose_event(query: CallbackQuery, callback_data: TriggerDialogCb, state: FSMContext,
                      lang: str) -> None:
    if not 0 <= callback_data.value < len(views.EVENT_CHOICES):
        await query.answer(views.gone(), show_alert=True)
        return
    event = views.EVENT_CHOICES[callback_data.value]
    await state.update_data(event=event.value)
    if event is TriggerEvent.FIELD_CHANGED:
        await state.set_state(TriggerDialog.field)
        await _show(query, views.field_question(), views.fields_keyboard(lang))
    else:
        await _ask_condition(query, state)


async def chose_field(query: CallbackQuery, callback_data: TriggerDialogCb, state: FSMContext,
                      lang: str) -> None:
    if not 0 <= callback_data.value < len(views.FIELD_CHOICES):
        await query.answer(views.gone(), show_alert=True)
        return
    await _ask_value(query, state, views.FIELD_CHOICES[callback_data.value], lang)


async def typed_field(message: Message, state: FSMContext, lang: str) -> None:
    text = (message.text or "").strip()
    name = text if text.startswith("custom.") else "custom." + text
    try:
        field = check_field(name)
    except InvalidInput:
        await message.answer(_("“{name}” is not a field name: letters, digits and _ only, e.g. "
                               "<code>custom.region</code>. Try again.").format(name=text[:40]))
        return
    await _ask_value(message, state, field, lang)


async def _ask_value(event: Answer, state: FSMContext, field: str, lang: str) -> None:
    await state.update_data(field=field)
    await state.set_state(TriggerDialog.value)
    await _show(event, views.value_question(field_text(field, lang)), views.value_keyboard())


async def any_value(query: CallbackQuery, state: FSMContext) -> None:
    await state.update_data(value=None)
    await _ask_condition(query, state)


async def typed_value(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    parse_value(str(data["field"]), message.text or "")  # InvalidInput: said as an error
    await state.update_data(value=(message.text or "").strip())
    await _ask_condition(message, state)


async def _ask_condition(event: Answer, state: FSMContext) -> None:
    await state.set_state(TriggerDialog.condition)
    await _show(event, views.condition_question(), views.condition_keyboard())


async def no_condition(query: CallbackQuery, state: FSMContext) -> None:
    await state.update_data(condition=None)
    await _ask_backwards(query, state)


async def typed_condition(message: Message, state: FSMContext) -> None:
    condition = await typed_condition_or_none(message)
    if condition is None:
        return
    await state.update_data(condition=condition)
    await _ask_backwards(message, state)


async def _ask_backwards(event: Answer, state: FSMContext) -> None:
    await state.set_state(TriggerDialog.backwards)
    await _show(event, views.backwards_question(), views.backwards_keyboard())


async def chose_backwards(query: CallbackQuery, callback_data: TriggerDialogCb,
                          state: FSMContext, workflow: Workflow, trigger_hooks: TriggerHooks,
                          staff: Staff, lang: str) -> None:
    data: dict[str, Any] = await state.get_data()
    if "stage_id" not in data or "event" not in data:
        await query.answer(views.gone(), show_alert=True)
        return
    details = TriggerDetails(data.get("field"), data.get("value"), data.get("condition"))
    trigger = await workflow.trigger_admin.add(staff, int(data["stage_id"]),
                                               TriggerEvent(data["event"]),
                                               bool(callback_data.value), details)
    await state.clear()
    view = next(v for v in await workflow.trigger_admin.list(staff)
                if v.trigger.id == trigger.id)
    await _show(query, _("Trigger added:") + "\n"
                + trigger_text(view, lang, trigger_hooks.base_url is not None))


async def wrong_input(message: Message) -> None:
    await message.answer(_("Please use the buttons above, or type what I asked for; "
                           "/cancel stops."))


def register(router: Router) -> None:
    """The dialog's handlers, on the /triggers router."""
    router.callback_query.register(start_from_list,
                                   TriggerCb.filter(F.action == TriggerAction.NEW))
    steps = ((TriggerDialog.type, DialogStep.TYPE, chose_type),
             (TriggerDialog.pipeline, DialogStep.PIPELINE, chose_pipeline),
             (TriggerDialog.stage, DialogStep.STAGE, chose_stage),
             (TriggerDialog.event, DialogStep.EVENT, chose_event),
             (TriggerDialog.field, DialogStep.FIELD, chose_field),
             (TriggerDialog.value, DialogStep.ANY_VALUE, any_value),
             (TriggerDialog.condition, DialogStep.NO_CONDITION, no_condition),
             (TriggerDialog.backwards, DialogStep.BACKWARDS, chose_backwards))
    for state, step, handler in steps:
        router.callback_query.register(handler, StateFilter(state),
                                       TriggerDialogCb.filter(F.step == step))
    router.callback_query.register(_stale, TriggerDialogCb.filter())
    router.message.register(typed_field, StateFilter(TriggerDialog.field), TEXT)
    router.message.register(typed_value, StateFilter(TriggerDialog.value), TEXT)
    router.message.register(typed_condition, StateFilter(TriggerDialog.condition), TEXT)
    router.message.register(wrong_input, StateFilter(TriggerDialog), TEXT)


async def _stale(query: CallbackQuery) -> None:
    """A button of a step already answered, or of a dialog that ended."""
    await query.answer(views.gone(), show_alert=True)
