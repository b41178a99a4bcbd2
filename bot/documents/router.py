"""/docs <id>: an item's documents, and buttons that send one again."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

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
                         reply_markup=documents_keyboard(docs))


async def send_again(query: CallbackQuery, callback_data: DocCb, documents: DocumentService,
                     staff: Staff) -> None:
    doc = await documents.send_again(staff, callback_data.document_id)
    await query.answer(_("{number} is on its way to you.").format(number=doc.number_text))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(list_documents, Command("docs"))
    router.callback_query.register(send_again, DocCb.filter(F.action == DocAction.SEND))
    return router
