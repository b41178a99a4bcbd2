"""/mode: shows the CRM mode and switches it. classic → simple is a wizard (clients to
create, deal pipeline, open activities, confirmation) before the conversion runs in the
background with its progress in the wizard's message."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send, usage
from bot.mode import views as view
from bot.mode.callbacks import CLIENT_CHOICES, ModeAction, ModeCb, SwitchCb, SwitchStep
from bot.mode.states import SwitchDialog
from bot.mode.switch_runner import SwitchRunner
from crm.container import CrmServices
from crm.models import CrmMode, Staff
from crm.services.mode import ConversionOptions


async def mode_command(message: Message, command: CommandObject, state: FSMContext,
                       services: CrmServices, staff: Staff, lang: str,
                       switch_runner: SwitchRunner) -> None:
    choice = (command.args or "").strip().lower()
    if not choice:
        mode = await services.mode.mode()
        markup = view.mode_keyboard(mode) if staff.may_edit_settings else None
        await message.answer(view.mode_text(mode, staff.may_edit_settings), reply_markup=markup)
        return
    if choice not in ("simple", "classic"):
        await usage(message, _("/mode — show the mode; /mode simple or /mode classic — switch"))
        return
    text, markup, run = await _switch(CrmMode(choice), state, services, staff)
    shown = await message.answer(text, reply_markup=markup)
    if run:
        switch_runner.start(services, staff, None, lang, shown.chat.id, shown.message_id)


async def press_mode(query: CallbackQuery, callback_data: ModeCb, state: FSMContext,
                     services: CrmServices, staff: Staff, lang: str,
                     switch_runner: SwitchRunner) -> None:
    target = CrmMode.CLASSIC if callback_data.action is ModeAction.CLASSIC else CrmMode.SIMPLE
    text, markup, run = await _switch(target, state, services, staff)
    await edit_or_send(query, text, markup)
    if run and query.message is not None:
        switch_runner.start(services, staff, None, lang, query.message.chat.id,
                            query.message.message_id)
    await query.answer()


async def _switch(target: CrmMode, state: FSMContext, services: CrmServices,
                  staff: Staff) -> tuple[str, InlineKeyboardMarkup | None, bool]:
    """(text, keyboard, run the conversion now). To classic at once; to simple through the
    wizard when leads are open, straight away when none are; an interrupted switch is
    continued in the background."""
    await state.clear()
    if target is CrmMode.CLASSIC:
        return view.switched_text(await services.mode.switch_to_classic(staff)), None, False
    preview = await services.conversion.preview(staff)  # refuses those without the right
    if preview.pending is not None:
        done, total = preview.pending.counts.leads_done, preview.pending.total
        return view.resuming_text(done, total), None, True
    if preview.open_leads:
        await state.set_state(SwitchDialog.create)
        return view.create_question(preview.open_leads), view.create_keyboard(), False
    return view.switched_text(await services.mode.switch_to_simple(staff)), None, False


async def chose_clients(query: CallbackQuery, callback_data: SwitchCb, state: FSMContext,
                        services: CrmServices, staff: Staff, lang: str) -> None:
    await state.update_data(create=callback_data.value)
    pipelines = (await services.conversion.preview(staff)).pipelines
    if len(pipelines) > 1:
        await state.set_state(SwitchDialog.pipeline)
        await edit_or_send(query, view.pipeline_question(),
                           view.pipeline_keyboard(pipelines, lang))
    else:
        await state.update_data(pipeline_id=pipelines[0].id if pipelines else 0)
        await _ask_activities(query, state)
    await query.answer()


async def chose_pipeline(query: CallbackQuery, callback_data: SwitchCb, state: FSMContext,
                         services: CrmServices, staff: Staff) -> None:
    pipelines = (await services.conversion.preview(staff)).pipelines
    if callback_data.value not in {p.id for p in pipelines}:
        await query.answer(_("That choice is no longer available."), show_alert=True)
        return
    await state.update_data(pipeline_id=callback_data.value)
    await _ask_activities(query, state)
    await query.answer()


async def _ask_activities(query: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(SwitchDialog.activities)
    await edit_or_send(query, view.activities_question(), view.activities_keyboard())


async def chose_activities(query: CallbackQuery, callback_data: SwitchCb, state: FSMContext,
                           services: CrmServices, staff: Staff, lang: str) -> None:
    data = await state.update_data(keep=int(bool(callback_data.value)))
    preview = await services.conversion.preview(staff)
    pipeline = next((p for p in preview.pipelines if p.id == data["pipeline_id"]), None)
    if pipeline is None:
        await query.answer(_("That choice is no longer available."), show_alert=True)
        return
    await state.set_state(SwitchDialog.confirm)
    await edit_or_send(query, view.confirm_text(preview.open_leads, data["create"], pipeline,
                                                bool(data["keep"]), lang),
                       view.confirm_keyboard(preview.open_leads))
    await query.answer()


async def confirmed(query: CallbackQuery, state: FSMContext, services: CrmServices,
                    staff: Staff, lang: str, switch_runner: SwitchRunner) -> None:
    data = await state.get_data()
    await state.clear()
    options = ConversionOptions(CLIENT_CHOICES[data["create"]], data["pipeline_id"] or None,
                                bool(data["keep"]))
    total = (await services.conversion.preview(staff)).open_leads
    await edit_or_send(query, view.progress_text(0, total), None)
    if query.message is not None:
        switch_runner.start(services, staff, options, lang, query.message.chat.id,
                            query.message.message_id)
    await query.answer()


async def cancelled(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await edit_or_send(query, _("Cancelled. The CRM stays in classic mode; nothing was "
                                "converted."), None)
    await query.answer()


async def wrong_input(message: Message) -> None:
    await message.answer(_("Please choose with the buttons above, or /cancel to stop."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(mode_command, Command("mode"))
    router.callback_query.register(press_mode, ModeCb.filter())
    router.callback_query.register(chose_clients, StateFilter(SwitchDialog.create),
                                   SwitchCb.filter((F.step == SwitchStep.CREATE) & (F.value < 3)))
    router.callback_query.register(chose_pipeline, StateFilter(SwitchDialog.pipeline),
                                   SwitchCb.filter(F.step == SwitchStep.PIPELINE))
    router.callback_query.register(chose_activities, StateFilter(SwitchDialog.activities),
                                   SwitchCb.filter(F.step == SwitchStep.ACTIVITIES))
    router.callback_query.register(confirmed, StateFilter(SwitchDialog.confirm),
                                   SwitchCb.filter(F.step == SwitchStep.CONFIRM))
    router.callback_query.register(cancelled, StateFilter(SwitchDialog),
                                   SwitchCb.filter(F.step == SwitchStep.CANCEL))
    router.message.register(wrong_input, StateFilter(SwitchDialog), ~F.text.startswith("/"))
    return router
