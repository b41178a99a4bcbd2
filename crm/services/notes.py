"""Notes on items: written by staff (a reply to the card, `/note`) or by an "add a note"
rule (no author: automation). A note is a timeline entry of kind `note`; the card shows how
many there are and the latest one, the card's history the latest ten."""

from __future__ import annotations

from datetime import datetime

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, InputProblem, InvalidInput, NotFound
from crm.models import Staff, TimelineEntry, TimelineKind
from crm.services.card_item import CardItem
from crm.storage.repos.notes import NoteCount, NoteRepo
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import multi_line

MAX_NOTE = 4000  # characters: a note and the card's lines around it fit one message
HISTORY_NOTES = 10  # the notes the card's history shows


def note_text(text: str) -> str:
    """The text to keep; raises InvalidInput (field "note") when it is empty or too long."""
    cleaned = multi_line(text)
    if not cleaned:
        raise InvalidInput(field="note", value=text)
    if len(cleaned) > MAX_NOTE:
        raise InvalidInput(field="note", value=len(cleaned), problem=InputProblem.TOO_LONG)
    return cleaned


async def add_note(uow: UnitOfWork, item_id: int, text: str, at: datetime,
                   author_id: int | None = None, tg_message_id: int | None = None
                   ) -> TimelineEntry:
    """Keeps a note in the caller's unit of work (author None: automation). The text is
    checked with `note_text`."""
    entry = TimelineEntry(item_id, at, TimelineKind.NOTE, note_text(text), author_id=author_id,
                          tg_message_id=tg_message_id)
    await uow.timeline.add(entry)
    return entry


async def note_count(uow: UnitOfWork, card: CardItem) -> NoteCount:
    """The card's extra (CardService.add_extra): how many notes, and the latest."""
    return await uow.extension(NoteRepo).count(card.id)


async def latest_notes(uow: UnitOfWork, item_id: int) -> list[TimelineEntry]:
    """The notes the card's history shows, oldest first."""
    return await uow.extension(NoteRepo).latest(item_id, HISTORY_NOTES)


class NoteService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def add(self, actor: Staff, item_id: int, text: str,
                  tg_message_id: int | None = None) -> TimelineEntry:
        """A staff member's note on an item they may see; nothing is kept on bad input."""
        cleaned = note_text(text)  # before the item: a note without text needs no lookup
        async with self._uow() as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            entry = await add_note(uow, item.id, cleaned, self._clock.now(),
                                   author_id=actor.user_id, tg_message_id=tg_message_id)
            await uow.commit()
        return entry
