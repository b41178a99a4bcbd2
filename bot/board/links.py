"""The board's "Open in the chat": the link t.me/<bot>?start=item_<id> sends /start item_<id>,
answered here (before /start) with the item's card, for staff who may see it."""

from __future__ import annotations

import re

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message

from bot.filters import IsStaff
from bot.items.presenter import render_card
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff

ITEM_LINK = re.compile(r"item_(\d{1,18})")


async def open_linked_item(message: Message, command: CommandObject, services: CrmServices,
                           staff: Staff, lang: str, settings: Settings) -> None:
    match = ITEM_LINK.fullmatch(command.args or "")
    assert match is not None  # the filter matched it
    text, markup = await render_card(services, staff, int(match[1]), lang, settings)
    await message.answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name=__name__)
    linked = CommandStart(deep_link=True, magic=F.args.regexp(ITEM_LINK, mode="fullmatch"))
    router.message.register(open_linked_item, linked, IsStaff())
    return router
