"""Answering the closing questions: a lost reason chosen or typed, a reopening confirmed
(the question's buttons: bot/closing/views.py; asked by bot/items/router.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.closing.callbacks import LostCb, ReopenCb
from bot.closing.states import LostReasonDialog
from bot.closing.views import moved_note
from bot.common.formatting import localized
from bot.common.replies import edit_or_send
from bot.items.presenter import present, render_card
from bot.settings import Settings
from crm.container import CrmServices
from crm.errors import StaleCard
from crm.models import Staff
from crm.services.closing import MAX_REASON, HandMove


async def press_reason(query: CallbackQuery, callback_data: LostCb, services: CrmServices,
                       staff: Staff, lang: str, settings: Settings) -> None:
    await _press(query, callback_data.item_id, callback_data.stage_id, callback_data.version,
                 HandMove(reason_id=callback_data.reason_id), services, staff, lang, settings)


async def press_reopen(query: CallbackQuery, callback_data: ReopenCb, services: CrmServices,
                       staff: Staff, lang: str, settings: Settings) -> None:
    await _press(query, callback_data.item_id, callback_data.stage_id, callback_data.version,
                 HandMove(reopen_confirmed=True), services, staff, lang, settings)


async def _press(query: CallbackQuery, item_id: int, stage_id: int, version: int,
                 hand: HandMove, services: CrmServices, staff: Staff, lang: str,
                 settings: Settings) -> None:
    try:
        result, card = await services.cards.move(staff, item_id, stage_id, version, hand)
    except StaleCard:  # a second press, or the item changed since the question
        await edit_or_send(query, *await render_card(services, staff, item_id, lang, settings))
        await query.answer(_("Nothing moved: the card was out of date."))
        return
    note = moved_note(result.to_stage, result.item.lost_reason, lang)
    await edit_or_send(query, *present(card, lang, settings, note=note))
    await query.answer(_("Moved to {stage}").format(stage=localized(result.to_stage, lang)))


async def press_type(query: CallbackQuery, callback_data: LostCb, state: FSMContext) -> None:
    await state.set_state(LostReasonDialog.text)
    await state.update_data(item_id=callback_data.item_id, stage_id=callback_data.stage_id,
                            version=callback_data.version)
    await edit_or_send(query, _("Why was #{id} lost? Type the reason in one message (up to "
                                "{limit} characters), or /cancel.").format(
        id=callback_data.item_id, limit=MAX_REASON), None)
    await query.answer()


async def typed_reason(message: Message, state: FSMContext, services: CrmServices,
                       staff: Staff, lang: str, settings: Settings) -> None:
    data = await state.get_data()
    item_id, stage_id, version = int(data["item_id"]), int(data["stage_id"]), int(data["version"])
    try:
        # a reason that does not fit is answered by bot/closing/errors.py; the step stays
        result, card = await services.cards.move(staff, item_id, stage_id, version,
                                                 HandMove(reason=message.text or ""))
    except StaleCard:
        await state.clear()
        text, markup = await render_card(services, staff, item_id, lang, settings,
                                         note=_("Nothing moved: the card was out of date."))
        await message.answer(text, reply_markup=markup)
        return
    await state.clear()
    note = moved_note(result.to_stage, result.item.lost_reason, lang)
    text, markup = present(card, lang, settings, note=note)
    await message.answer(text, reply_markup=markup)


async def not_text(message: Message) -> None:
    await message.answer(_("Please type the reason as text, or /cancel."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(press_reason, LostCb.filter(F.reason_id > 0))
    router.callback_query.register(press_type, LostCb.filter(F.reason_id == 0))
    router.callback_query.register(press_reopen, ReopenCb.filter())
    router.message.register(typed_reason, LostReasonDialog.text, F.text,
                            ~F.text.startswith("/"))
    router.message.register(not_text, LostReasonDialog.text, ~F.text)
    return router

