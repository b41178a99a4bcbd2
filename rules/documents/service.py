"""An item's documents for staff: the list, sending one again to oneself, and sending one
to the item's client (a "📨 Send to the client" button under a PDF sent to staff and in
/docs). Everything goes through the outbox, like every document, so Telegram's limits and
retries apply; the one who sent it to the client is told when it arrived (or could not)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, InputProblem, InvalidInput, NotFound
from crm.i18n import language_or, translate
from crm.models import Contact, Item, Staff
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.documents import texts
from rules.documents.model import Document
from rules.kinds.messages import OPEN_ITEM
from rules.model import OutboxRow, OutboxState
from rules.storage.unit import repos


@dataclass(slots=True)
class ClientSend:
    """What became of "send to the client": queued, or not, because the client has not
    opened their start link yet (`contact.tg_chat_id` is None)."""

    document: Document
    item: Item
    contact: Contact
    queued: bool


class DocumentService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock,
                 on_queued: Callable[[], None], default_language: str = "en") -> None:
        self._uow = uow
        self._clock = clock
        self._on_queued = on_queued  # wakes the outbox
        self._default_language = default_language

    async def for_item(self, actor: Staff, item_id: int) -> tuple[Item, list[Document]]:
        """The item and its documents, newest first."""
        async with self._uow(write=False) as uow:
            item = await uow.items.get(item_id)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            return item, await repos(uow).documents.for_item(item_id)

    async def send_again(self, actor: Staff, document_id: int) -> Document:
        """Queues the document's PDF to the actor's own chat, with the buttons to open the
        item and (when it has a contact) to send it to the client."""
        async with self._uow() as uow:
            doc, item = await self._document(uow, actor, document_id)
            language = language_or(actor.language, self._default_language)
            buttons = [[{"text": translate(OPEN_ITEM, language, id=item.id), "item_id": item.id}]]
            if item.contact_id is not None:
                buttons.append([texts.to_client_button(doc.id, language)])
            await self._queue(uow, doc, actor.user_id, f"document:{doc.id}:{uuid.uuid4().hex}", {
                "caption": texts.caption(doc.doc_type, doc.number_text, doc.title, language),
                "buttons": buttons, "role": "staff", "name": actor.name})
            await uow.commit()
        return doc

    async def send_to_client(self, actor: Staff, document_id: int, request: str) -> ClientSend:
        """Queues the document's PDF to the item's client, captioned in their language;
        `request` names the press (a press delivered twice sends once). Raises NotFound,
        PermissionDenied, InvalidInput (NO_CONTACT)."""
        async with self._uow() as uow:
            doc, item = await self._document(uow, actor, document_id)
            contact = await uow.clients.get_contact(item.contact_id) if item.contact_id \
                else None
            if contact is None:
                raise InvalidInput(field="contact", value=item.id,
                                   problem=InputProblem.NO_CONTACT)
            if contact.tg_chat_id is None:
                return ClientSend(doc, item, contact, queued=False)
            client_language = language_or(contact.language, self._default_language)
            staff_language = language_or(actor.language, self._default_language)
            await self._queue(uow, doc, contact.tg_chat_id, f"to-client:{doc.id}:{request}", {
                "caption": texts.caption(doc.doc_type, doc.number_text, doc.title,
                                         client_language),
                "buttons": [], "role": "client", "name": contact.name,
                **texts.delivery_notices(doc.doc_type, doc.number_text, contact.name, item.id,
                                         item.title, actor.user_id, staff_language)})
            await uow.commit()
        return ClientSend(doc, item, contact, queued=True)

    async def _document(self, uow: UnitOfWork, actor: Staff,
                        document_id: int) -> tuple[Document, Item]:
        doc = await repos(uow).documents.get(document_id)
        item = await uow.items.get(doc.item_id) if doc and doc.item_id else None
        if doc is None or item is None:
            raise NotFound(what=Entity.DOCUMENT, ref=document_id)
        require_item_access(actor, item)
        return doc, item

    async def _queue(self, uow: UnitOfWork, doc: Document, chat_id: int, key: str,
                     payload: dict[str, Any]) -> None:
        now = self._clock.now()
        await repos(uow).outbox.add(OutboxRow(
            id=0, run_id=None, dedupe_key=key, channel="document", chat_id=chat_id,
            kind="document", payload={"document_id": doc.id, **payload},
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now, created_at=now))
        uow.after_commit(self._on_queued)
