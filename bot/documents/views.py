"""/docs: an item's documents (number, type, date, total) with a button each to get it again
and, when the item has a contact, one to send it to the client."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape, moment, money
from bot.documents.callbacks import DocAction, DocCb
from crm.i18n import translate
from crm.models import Item
from rules.documents.model import DocState, Document


def documents_text(item: Item, docs: list[Document], lang: str, timezone: str) -> str:
    title = escape(item.title)
    if not docs:
        return _("No documents for #{id} “{title}” yet. Rules of the kind “Create a document” "
                 "make them.").format(id=item.id, title=title)
    lines = [_("📄 <b>Documents of #{id}</b> “{title}”").format(id=item.id, title=title)]
    for doc in docs:
        label = translate(doc.doc_type.label, lang)
        line = (f"<b>{escape(doc.number_text)}</b> · {escape(label)} · "
                f"{moment(doc.created_at, lang, timezone)} · "
                f"{money(doc.gross, doc.currency, lang)}")
        if doc.state is DocState.PENDING:
            line += " · " + _("⏳ being made")
        elif doc.state is DocState.FAILED:
            line += " · " + _("⚠️ could not be made")
        lines.append(line)
    lines.append(_("Press a number to get the PDF here."))
    if item.contact_id is not None:
        lines.append(_("📨 sends it to the client."))
    return "\n".join(lines)


def documents_keyboard(docs: list[Document], has_client: bool) -> InlineKeyboardMarkup | None:
    """A row per document: its PDF to me, and (when the item has a contact) to the client."""
    if not docs:
        return None
    builder = InlineKeyboardBuilder()
    for doc in docs:
        builder.button(text=f"📤 {doc.number_text}",
                       callback_data=DocCb(action=DocAction.SEND, document_id=doc.id))
        if has_client:
            builder.button(text=_("📨 {number} to the client").format(number=doc.number_text),
                           callback_data=DocCb(action=DocAction.TO_CLIENT, document_id=doc.id))
    builder.adjust(2 if has_client else 3)
    return builder.as_markup()
