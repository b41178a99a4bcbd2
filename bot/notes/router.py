"""Notes on items: a Telegram reply to an item's card, or `/note <id> <text>`."""

from __future__ import annotations

import re

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import Message

from bot.common.replies import usage
from bot.items.callbacks import CardAction, CardCb
from bot.notes.views import note_empty, note_kept, note_too_long, note_usage, text_only
from crm.container import CrmServices
from crm.errors import InputProblem, InvalidInput
from crm.models import Staff

_NOTE_ARGS = re.compile(r"#?(\d+)\s+(\S.*)", re.DOTALL)
_CARD_PREFIX = f"{CardCb.__prefix__}:"


class RepliesToCard(Filter):
    """A reply (not a command) to one of the bot's item cards; passes the item's id as
    `item_id`. A card is known by its own buttons: they carry the item's id (CardCb) with
    any action but OPEN — OPEN buttons are on notifications and lists, which are not cards
    (a reply to an inquiry notification answers the client: bot/inquiries/replies.py)."""

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, int]:
        target = message.reply_to_message
        if target is None or target.from_user is None or target.from_user.id != bot.id:
            return False
        if (message.text or "").startswith("/"):
            return False  # a command sent as a reply is still that command
        markup = target.reply_markup
        for row in markup.inline_keyboard if markup else []:
            for button in row:
                data = button.callback_data or ""
                if data.startswith(_CARD_PREFIX):
                    card = CardCb.unpack(data)
                    if card.action is not CardAction.OPEN:
                        return {"item_id": card.item_id}
        return False


async def note_command(message: Message, command: CommandObject, services: CrmServices,
                       staff: Staff) -> None:
    found = _NOTE_ARGS.fullmatch((command.args or "").strip())
    if found is None:
        await usage(message, note_usage())
        return
    await _keep(message, services, staff, int(found.group(1)), found.group(2))


async def reply_to_card(message: Message, item_id: int, services: CrmServices,
                        staff: Staff) -> None:
    if not message.text:
        await message.answer(text_only())  # a photo, a file, a voice message...
        return
    await _keep(message, services, staff, item_id, message.text)


async def _keep(message: Message, services: CrmServices, staff: Staff, item_id: int,
                text: str) -> None:
    """An unknown item or one the user may not see is answered by the error router."""
    try:
        await services.notes.add(staff, item_id, text, tg_message_id=message.message_id)
    except InvalidInput as error:
        length = error.value if error.problem is InputProblem.TOO_LONG else None
        await message.answer(note_too_long(length) if isinstance(length, int)
                             else note_empty())
        return
    await message.answer(note_kept(item_id))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(note_command, Command("note"))
    router.message.register(reply_to_card, RepliesToCard())
    return router
