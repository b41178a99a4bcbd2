"""Forward to create: a salesperson forwards a client's messages to the bot and makes a lead
(classic mode) or a deal of them, with the sender as the contact, or adds them to an item.

The contact: the one whose Telegram chat is the sender's (a private chat's id is the user's),
else the oldest of exactly that name (any case), else a new one. The item's title is the
first words of the text; the whole text is its first note (crm/services/notes.py);
forwarded photos, voice notes, files, … are kept like a client's (client_files.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, InvalidInput, NotFound
from crm.models import ClientFile, Contact, CrmMode, Item, Staff, TimelineEntry, TimelineKind
from crm.services.catalog import current_mode
from crm.services.client_files import file_title, keep_file
from crm.services.items import MAX_TITLE, NewItem, create_item
from crm.services.mode import ensure_type_allowed
from crm.services.notes import MAX_NOTE, add_note
from crm.storage.repos.contact_directory import ContactDirectory
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import multi_line, one_line

TITLE_WORDS = 6  # the first words of the text make the title
TITLE_CHARS = 60
OFFERED_ITEMS = 5  # the sender's open items offered to add the messages to
MAX_PIECES = 20  # forwarded messages gathered into one offer


@dataclass(frozen=True, slots=True)
class Sender:
    """Who wrote the forwarded messages: a Telegram user (user_id), or only a name (the
    sender hides their account, or the name was typed)."""

    name: str
    user_id: int | None = None
    username: str | None = None


@dataclass(slots=True)
class Forwarded:
    """Messages forwarded together: their texts and files."""

    texts: list[str] = field(default_factory=list)
    files: list[ClientFile] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(t for t in self.texts if t)


@dataclass(frozen=True, slots=True)
class Offer:
    """What the bot offers for forwarded messages."""

    contact: Contact | None  # the sender's existing contact; None: a new one is made
    open_items: list[Item]
    classic: bool  # leads exist (classic mode)


def short_title(text: str, files: list[ClientFile], name: str) -> str:
    """The first words of the text (or the first file's icon and name), after the sender's
    name."""
    words = one_line(text).split()
    snippet = " ".join(words[:TITLE_WORDS])
    if len(words) > TITLE_WORDS or len(snippet) > TITLE_CHARS:
        snippet = snippet[: TITLE_CHARS - 1].rstrip() + "…"
    if not snippet and files:
        snippet = file_title(files[0])
    return f"{name}: {snippet}"[:MAX_TITLE] if snippet else name[:MAX_TITLE]


def note_of(text: str) -> str:
    cleaned = multi_line(text)
    return cleaned if len(cleaned) <= MAX_NOTE else cleaned[: MAX_NOTE - 1] + "…"


class ForwardService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, default_currency: str) -> None:
        self._uow = uow
        self._clock = clock
        self._currency = default_currency

    async def offer(self, actor: Staff, sender: Sender) -> Offer:
        """The sender's contact, if known, with their open items the actor may see."""
        async with self._uow(write=False) as uow:
            contact = await _find_contact(uow, sender)
            items: list[Item] = []
            if contact is not None:
                owner = None if actor.sees_all_items else actor.user_id
                found = await uow.extension(ContactDirectory).items(contact.id, owner, 20)
                items = [i for i in found if not i.closed][:OFFERED_ITEMS]
            classic = await current_mode(uow) is CrmMode.CLASSIC
        return Offer(contact, items, classic)

    async def create(self, actor: Staff, type_code: str, sender: Sender,
                     forwarded: Forwarded) -> Item:
        """A lead or deal of the actor's, with the sender as its contact; the text is its
        first note, the files are kept on it."""
        name = one_line(sender.name)
        if not name:
            raise InvalidInput(field="name", value=sender.name)
        async with self._uow() as uow:
            await ensure_type_allowed(uow, type_code)  # no leads in simple mode
            contact = await _find_contact(uow, sender)
            if contact is None:
                contact = await uow.clients.add_contact(Contact(
                    0, name[:MAX_TITLE], tg_chat_id=sender.user_id,
                    tg_username=sender.username), self._clock.now())
            elif contact.tg_chat_id is None and sender.user_id is not None:
                contact.tg_chat_id = sender.user_id  # found by name: no contact has the chat
                await uow.clients.update_contact(contact)
            item = await create_item(uow, actor, NewItem(
                type_code, short_title(forwarded.text, forwarded.files, contact.name),
                contact_id=contact.id, source="telegram"), self._clock.now(),
                default_currency=self._currency)
            await self._keep(uow, actor, item, forwarded, "")
            await uow.commit()
        return item

    async def attach(self, actor: Staff, item_id: int, sender: Sender,
                     forwarded: Forwarded) -> Item:
        """Adds the messages to an item the actor may see: the text as a note (naming the
        sender), the files to its conversation."""
        async with self._uow() as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            await self._keep(uow, actor, item, forwarded, f"↪️ {one_line(sender.name)}:\n")
            await uow.commit()
        return item

    async def _keep(self, uow: UnitOfWork, actor: Staff, item: Item, forwarded: Forwarded,
                    prefix: str) -> None:
        now = self._clock.now()
        if forwarded.text:
            await add_note(uow, item.id, note_of(prefix + forwarded.text), now,
                           author_id=actor.user_id)
        for file in forwarded.files:  # a line of the conversation each, by the forwarder
            entry_id = await uow.timeline.add(TimelineEntry(
                item.id, now, TimelineKind.CLIENT_FILE, file.caption, author_id=actor.user_id))
            await keep_file(uow, item.id, entry_id, file, now, forwarded_by=actor.user_id)


async def _find_contact(uow: UnitOfWork, sender: Sender) -> Contact | None:
    if sender.user_id is not None:
        contact = await uow.clients.contact_by_chat(sender.user_id)
        if contact is not None:
            return contact
    name = one_line(sender.name)
    return await uow.clients.contact_named(name) if name else None
