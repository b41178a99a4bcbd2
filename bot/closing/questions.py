"""Asking the closing questions where a move by hand needs them (bot/items/router.py):
under a pressed card in place of its buttons, or as an answer to /move."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.closing.views import lost_question, reopen_question
from bot.common.replies import edit_or_send
from crm.container import CrmServices
from crm.services.closing import LostReasonNeeded, MoveQuestion


async def question(services: CrmServices, asked: MoveQuestion,
                   lang: str) -> tuple[str, InlineKeyboardMarkup]:
    if isinstance(asked, LostReasonNeeded):
        reasons = await services.closing.offered(asked.item.pipeline_id)
        return lost_question(asked, reasons, lang)
    return reopen_question(asked, lang)


async def ask_in_place(query: CallbackQuery, services: CrmServices, asked: MoveQuestion,
                       lang: str) -> None:
    await edit_or_send(query, *await question(services, asked, lang))
    await query.answer()


async def ask_anew(message: Message, services: CrmServices, asked: MoveQuestion,
                   lang: str) -> None:
    text, markup = await question(services, asked, lang)
    await message.answer(text, reply_markup=markup)
