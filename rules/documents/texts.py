"""What goes with a document in Telegram, in the reader's language: its caption, the
buttons under it for staff (open the item, send it to the client) and the lines that tell
the salesperson whether it reached the client (the outbox queues them when it delivered the
PDF, or gave up: rules/outbox/worker.py, `if_delivered` / `if_undelivered`)."""

from __future__ import annotations

from html import escape
from typing import Any

from crm.i18n import N_, translate
from rules.documents.model import DocType

CAPTION = N_("{document} — {title}")
TO_CLIENT = N_("📨 Send to the client")
DELIVERED = N_("📨 {document} reached {name} (#{id} “{title}”).")
UNDELIVERED = N_("⚠️ {document} could not be delivered to {name} on Telegram (#{id} “{title}”): "
                 "they may have blocked the bot or deleted the chat.")


def label(doc_type: DocType, number: str, language: str) -> str:
    """ "Rechnung RE-00001" / "Invoice INV-00001"."""
    return f"{translate(doc_type.label, language)} {number}"


def caption(doc_type: DocType, number: str, title: str, language: str) -> str:
    """A document's caption (Telegram HTML)."""
    return translate(CAPTION, language, document=escape(label(doc_type, number, language)),
                     title=escape(title))


def to_client_button(document_id: int, language: str) -> dict[str, Any]:
    """The button under a PDF sent to staff (bot/telegram/transport.py makes it a callback
    button of bot/documents/)."""
    return {"text": translate(TO_CLIENT, language), "to_client_document_id": document_id}


def delivery_notices(doc_type: DocType, number: str, client: str, item_id: int, title: str,
                     staff_chat: int, language: str) -> dict[str, Any]:
    """The payload keys that tell `staff_chat` whether the document reached the client."""
    params = {"document": escape(label(doc_type, number, language)), "name": escape(client),
              "id": item_id, "title": escape(title)}
    return {"if_delivered": {"chat_id": staff_chat,
                             "text": translate(DELIVERED, language, **params)},
            "if_undelivered": {"chat_id": staff_chat,
                               "text": translate(UNDELIVERED, language, **params)}}
