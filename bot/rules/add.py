"""Adding a rule, first half: /rules add (or ➕) → type → pipeline → stage → kind."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.rules.browse import type_at
from bot.rules.callbacks import AddCb, DialogCb, Step
from bot.rules.dialog_views import gone
from bot.rules.flow import Flow
from bot.rules.states import RuleDialog
from crm.access import require_settings_right
from crm.models import Staff

ADD_COMMAND = r"^/rules(@\w+)?\s+add\s*$"


async def add_command(message: Message, state: FSMContext, staff: Staff, flow: Flow) -> None:
    require_settings_right(staff)
    await state.clear()
    await flow.ask_type()


async def add_button(query: CallbackQuery, callback_data: AddCb, state: FSMContext,
                     staff: Staff, flow: Flow) -> None:
    require_settings_right(staff)
    await state.clear()
    if callback_data.stage_id:
        stage = await flow.services.catalog.stage(callback_data.stage_id)
        await state.update_data(pipeline_id=stage.pipeline_id)
        await flow.ask_kind(stage.id)
    else:
        await flow.ask_type()
    await query.answer()


async def chose_type(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    entity_type = await type_at(flow.services, callback_data.value)
    await flow.ask_pipeline(entity_type.code)
    await query.answer()


async def chose_pipeline(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    data = await flow.data()
    pipelines = await flow.services.catalog.pipelines(data["type_code"])
    if callback_data.value not in {p.id for p in pipelines}:
        await query.answer(gone(), show_alert=True)
        return
    await flow.ask_stage(callback_data.value)
    await query.answer()


async def chose_stage(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    _pipeline, stages = await flow.services.catalog.pipeline((await flow.data())["pipeline_id"])
    if callback_data.value not in {s.id for s in stages}:
        await query.answer(gone(), show_alert=True)
        return
    await flow.ask_kind(callback_data.value)
    await query.answer()


async def chose_kind(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    if not await flow.chose_kind(callback_data.value):
        await query.answer(gone(), show_alert=True)
        return
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(add_command, F.text.regexp(ADD_COMMAND))
    router.callback_query.register(add_button, AddCb.filter())
    router.callback_query.register(chose_type, StateFilter(RuleDialog.type),
                                   DialogCb.filter(F.step == Step.TYPE))
    router.callback_query.register(chose_pipeline, StateFilter(RuleDialog.pipeline),
                                   DialogCb.filter(F.step == Step.PIPELINE))
    router.callback_query.register(chose_stage, StateFilter(RuleDialog.stage),
                                   DialogCb.filter(F.step == Step.STAGE))
    router.callback_query.register(chose_kind, StateFilter(RuleDialog.kind),
                                   DialogCb.filter(F.step == Step.KIND))
    return router
