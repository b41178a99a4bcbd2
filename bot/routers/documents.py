"""/docs <id>: an item's documents, and buttons that send one again."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.documents_callbacks import DocAction, DocCb
from bot.replies import parse_item_id, usage
from bot.settings import Settings
from bot.views.documents import documents_keyboard, documents_text
from crm.models import Staff
from rules.documents.service import DocumentService

router = Router(name=__name__)


@router.message(Command("docs"))
async def list_documents(message: Message, command: CommandObject, documents: DocumentService,
                         staff: Staff, lang: str, settings: Settings) -> None:
    item_id = parse_item_id(command.args)
    if item_id is None:
        await usage(message, _("/docs <number> — the documents of an item, e.g. /docs 12"))
        return
    item, docs = await documents.for_item(staff, item_id)
    await message.answer(documents_text(item, docs, lang, settings.timezone),
                         reply_markup=documents_keyboard(docs))


@router.callback_query(DocCb.filter(F.action == DocAction.SEND))
async def send_again(query: CallbackQuery, callback_data: DocCb, documents: DocumentService,
                     staff: Staff) -> None:
    doc = await documents.send_again(staff, callback_data.document_id)
    await query.answer(_("{number} is on its way to you.").format(number=doc.number_text))
