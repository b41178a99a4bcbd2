"""/docs <id>: an item's documents, and buttons that send one again or to the client."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.clients.invite import share_button, start_link
from bot.common.formatting import escape
from bot.common.replies import parse_item_id, usage
from bot.documents.callbacks import DocAction, DocCb
from bot.documents.views import documents_keyboard, documents_text
from bot.settings import Settings
from crm.models import Staff
from rules.documents.service import DocumentService


async def list_documents(message: Message, command: CommandObject, documents: DocumentService,
                         staff: Staff, lang: str, settings: Settings) -> None:
    item_id = parse_item_id(command.args)
    if item_id is None:
        await usage(message, _("/docs <number> — the documents of an item, e.g. /docs 12"))
        return
    item, docs = await documents.for_item(staff, item_id)
    await message.answer(documents_text(item, docs, lang, settings.timezone),
                         reply_markup=documents_keyboard(docs, item.contact_id is not None))


async def send_again(query: CallbackQuery, callback_data: DocCb, documents: DocumentService,
                     staff: Staff) -> None:
    doc = await documents.send_again(staff, callback_data.document_id)
    await query.answer(_("{number} is on its way to you.").format(number=doc.number_text))


async def send_to_client(query: CallbackQuery, callback_data: DocCb, documents: DocumentService,
                         staff: Staff, settings: Settings) -> None:
    sent = await documents.send_to_client(staff, callback_data.document_id, query.id)
    number = sent.document.number_text
    if sent.queued:
        await query.answer(_("{number} is on its way to {name}. I will tell you when it has "
                             "arrived.").format(number=number, name=sent.contact.name))
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    link = await start_link(query.message, settings, sent.contact.id)
    text = _("{name} has not connected to the bot yet, so I cannot send them {number}. Send "
             "them this link — once they have opened it, press the button again:\n{link}"
             ).format(name=escape(sent.contact.name), number=number, link=link or "")
    markup = InlineKeyboardMarkup(inline_keyboard=[[share_button(link, sent.contact.name)]]) \
        if link else None
    await query.message.answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(list_documents, Command("docs"))
    router.callback_query.register(send_again, DocCb.filter(F.action == DocAction.SEND))
    router.callback_query.register(send_to_client,
                                   DocCb.filter(F.action == DocAction.TO_CLIENT))
    return router
