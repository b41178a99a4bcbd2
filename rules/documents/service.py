"""An item's documents for staff: the list, and sending one again (through the outbox,
like every document, so Telegram's limits and retries apply)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from html import escape

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.i18n import translate
from crm.models import Item, Staff
from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.documents.model import Document
from rules.kinds.messages import OPEN_ITEM
from rules.model import OutboxRow, OutboxState
from rules.storage.unit import repos


class DocumentService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock,
                 on_queued: Callable[[], None]) -> None:
        self._uow = uow
        self._clock = clock
        self._on_queued = on_queued  # wakes the outbox

    async def for_item(self, actor: Staff, item_id: int) -> tuple[Item, list[Document]]:
        """The item and its documents, newest first."""
        async with self._uow(write=False) as uow:
            item = await uow.items.get(item_id)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            return item, await repos(uow).documents.for_item(item_id)

    async def send_again(self, actor: Staff, document_id: int) -> Document:
        """Queues the document's PDF to the actor's own chat."""
        async with self._uow() as uow:
            doc = await repos(uow).documents.get(document_id)
            item = await uow.items.get(doc.item_id) if doc and doc.item_id else None
            if doc is None or item is None:
                raise NotFound(what=Entity.DOCUMENT, ref=document_id)
            require_item_access(actor, item)
            language = actor.language or "en"
            caption = (f"{escape(translate(doc.doc_type.label, language))} {doc.number_text} — "
                       f"{escape(doc.title)}")
            button = {"text": translate(OPEN_ITEM, language, id=item.id), "item_id": item.id}
            now = self._clock.now()
            await repos(uow).outbox.add(OutboxRow(
                id=0, run_id=None, dedupe_key=f"document:{doc.id}:{uuid.uuid4().hex}",
                channel="document", chat_id=actor.user_id, kind="document",
                payload={"document_id": doc.id, "caption": caption, "buttons": [[button]],
                         "role": "staff", "name": actor.name},
                state=OutboxState.PENDING, attempts=0, next_attempt_at=now, created_at=now))
            uow.after_commit(self._on_queued)
            await uow.commit()
        return doc
