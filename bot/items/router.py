"""Opening an item card and moving the item: /item, /move and the card's buttons."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.exceptions import TelegramForbiddenError
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.closing.questions import ask_anew, ask_in_place
from bot.closing.views import moved_note
from bot.common.formatting import localized
from bot.common.replies import bot_of, edit_or_send, parse_item_id, usage
from bot.items.callbacks import CardAction, CardCb
from bot.items.card import history_text
from bot.items.presenter import move_note, present, render_card
from bot.settings import Settings
from crm.container import CrmServices
from crm.errors import StaleCard
from crm.models import Staff
from crm.services.closing import HandMove, MoveQuestion


async def open_item(message: Message, command: CommandObject, services: CrmServices,
                    staff: Staff, lang: str, settings: Settings) -> None:
    item_id = parse_item_id(command.args)
    if item_id is None:
        await usage(message, _("/item <number> — open an item, e.g. /item 12"))
        return
    text, markup = await render_card(services, staff, item_id, lang, settings)
    await message.answer(text, reply_markup=markup)


async def move_item(message: Message, command: CommandObject, services: CrmServices,
                    staff: Staff, lang: str, settings: Settings) -> None:
    item_id, _sep, stage_ref = (command.args or "").strip().partition(" ")
    if not item_id.lstrip("#").isdigit() or not stage_ref.strip():
        await usage(message, _("/move <number> <stage name or position>, e.g. /move 12 won"))
        return
    item = await services.items.get(staff, int(item_id.lstrip("#")))
    stage_ref, semi, reason = stage_ref.partition(";")  # /move 12 lost; too expensive
    stage = await services.items.resolve_stage(item, stage_ref.strip())
    try:
        result = await services.items.move(staff, item.id, stage.id,
                                           hand=HandMove(reason=reason if semi else None))
    except MoveQuestion as asked:  # a lost reason, or reopening a won item: ask first
        await ask_anew(message, services, asked, lang)
        return
    await services.cards.settled(item.id)  # the card shows what the rules due at once did
    text, markup = await render_card(services, staff, item.id, lang, settings,
                                     note=moved_note(result.to_stage, result.item.lost_reason,
                                                     lang))
    await message.answer(text, reply_markup=markup)


async def press_move(query: CallbackQuery, callback_data: CardCb, services: CrmServices,
                     staff: Staff, lang: str, settings: Settings) -> None:
    try:
        result, card = await services.cards.move(staff, callback_data.item_id,
                                                 callback_data.stage_id, callback_data.version,
                                                 HandMove())
    except MoveQuestion as asked:  # a lost reason, or reopening a won item: ask first
        await ask_in_place(query, services, asked, lang)
        return
    except StaleCard:
        # A double press or a card someone else made stale: show the item as it is now.
        text, markup = await render_card(services, staff, callback_data.item_id, lang, settings)
        await edit_or_send(query, text, markup)
        await query.answer(_("Nothing moved: the card was out of date."), show_alert=False)
        return
    note = move_note(result.to_stage, lang)
    await edit_or_send(query, *present(card, lang, settings, note=note))
    await query.answer(_("Moved to {stage}").format(stage=localized(result.to_stage, lang)))


async def press_view(query: CallbackQuery, callback_data: CardCb, services: CrmServices,
                     staff: Staff, lang: str, settings: Settings) -> None:
    picking = callback_data.action is CardAction.PICK
    text, markup = await render_card(services, staff, callback_data.item_id, lang, settings,
                                     picking=picking)
    if callback_data.action is not CardAction.OPEN:
        await edit_or_send(query, text, markup)
    elif not await open_privately(query, text, markup):
        return
    await query.answer()


async def open_privately(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup) -> bool:
    """A card opened from a notification goes to the presser's own chat, also when the
    notification was in a team chat: CRM data is not posted to a group."""
    try:
        await bot_of(query).send_message(query.from_user.id, text, reply_markup=markup)
    except TelegramForbiddenError:
        await query.answer(_("Please start a private chat with me first, then press again."),
                           show_alert=True)
        return False
    return True


async def press_history(query: CallbackQuery, callback_data: CardCb, services: CrmServices,
                        staff: Staff, lang: str, settings: Settings) -> None:
    card = await services.cards.card(staff, callback_data.item_id, with_history=True)
    team = {s.user_id: s.name for s in await services.staff.list(staff)}
    if isinstance(query.message, Message):
        await query.message.answer(history_text(card, lang, settings.timezone, team))
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(open_item, Command("item"))
    router.message.register(move_item, Command("move"))
    router.callback_query.register(press_move, CardCb.filter(F.action == CardAction.MOVE))
    views = {CardAction.PICK, CardAction.BACK, CardAction.REFRESH, CardAction.OPEN}
    router.callback_query.register(press_view, CardCb.filter(F.action.in_(views)))
    router.callback_query.register(press_history, CardCb.filter(F.action == CardAction.HISTORY))
    return router
