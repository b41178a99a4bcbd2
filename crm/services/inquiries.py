"""What clients write to the bot: inquiries become leads (classic mode) or contacts with
deals (simple mode); every message and staff reply is kept on the item's timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm.clock import Clock
from crm.errors import AppError, InvalidInput
from crm.events import ClientWrote
from crm.models import (
    ClientFile,
    Company,
    Contact,
    CrmMode,
    Item,
    Staff,
    TimelineEntry,
    TimelineKind,
)
from crm.services.catalog import current_mode
from crm.services.client_files import KeptFile, file_title, keep_file
from crm.services.inquiry_desk import (
    phone_numbers,
    short_text,
    starts_conversation,
    take_unassigned,
)
from crm.services.item_access import visible_item
from crm.services.items import MAX_TITLE, ItemService, NewItem, create_item
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line


class NoClientChat(AppError):
    """The item has no contact who has written to the bot. params: item_id."""

    code = "no_client_chat"


@dataclass(frozen=True, slots=True)
class ClientInfo:
    """The Telegram user behind an inquiry (the bot has checked they are not staff)."""

    user_id: int
    chat_id: int
    name: str
    username: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class InquiryResult:
    item_id: int
    type_code: str  # 'lead' or 'deal'
    created: bool  # False: the message was added to the client's open item
    responsible_id: int | None  # None: nobody yet, tell all sales staff
    contact_id: int
    is_new_contact: bool
    thank: bool = True  # the client is thanked: once per conversation (inquiry_desk.py)
    phones: tuple[str, ...] = ()  # numbers in the message, offered for the contact


@dataclass(frozen=True, slots=True)
class InquiryFiled:
    """A client's message was filed (event, in its transaction): staff are to be told."""

    result: InquiryResult
    client: ClientInfo
    text: str
    entry_id: int  # the timeline entry that keeps it
    file: KeptFile | None = None  # a photo, voice note, … or contact the client sent


@dataclass(frozen=True, slots=True)
class ReplyRecorded:
    """A staff reply was kept on the timeline (event, in its transaction): the client is to
    get it in `chat_id`."""

    item_id: int
    chat_id: int
    text: str
    author_id: int
    entry_id: int


class InquiryService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, items: ItemService) -> None:
        self._uow = uow
        self._clock = clock
        self._items = items

    async def receive(
        self, client: ClientInfo, text: str, at: datetime, company_name: str | None = None,
        tg_message_id: int | None = None, file: ClientFile | None = None,
        own_contact: bool = False,
    ) -> InquiryResult:
        """Files the message on the client's open lead or deal, or opens one.
        `company_name`: a company the client named in a structured way (e.g. a form).
        `file`: a photo, voice note, … or shared contact (`text` its caption, may be empty;
        `own_contact`: the client shared their own, see crm/services/client_files.py)."""
        text = text.strip()
        if not text and file is None:
            raise InvalidInput(field="text", value=text)
        async with self._uow() as uow:
            contact, is_new_contact = await self._contact(uow, client)
            timeline = uow.timeline
            item_id = await timeline.open_item_of_contact(contact.id)
            if item_id is not None:
                item = await uow.items.get(item_id, with_products=False)
                assert item is not None  # just found
                created = False
            else:
                title = text or (file_title(file) if file else "")
                item = await self._open_item(uow, contact, title, company_name)
                created = True
            thank = created or await starts_conversation(uow, item.id, at)
            entry_id = await timeline.add(TimelineEntry(
                item.id, at, TimelineKind.CLIENT_FILE if file else TimelineKind.CLIENT_MESSAGE,
                text, tg_message_id=tg_message_id))
            kept = await keep_file(uow, item.id, entry_id, file, at, contact, own_contact) \
                if file else None
            result = InquiryResult(item.id, item.type_code, created, item.responsible_id,
                                   contact.id, is_new_contact, thank,
                                   phone_numbers(text, contact.phone))
            await uow.publish(ClientWrote(item.id, contact.id, created, at))  # triggers
            await uow.publish(InquiryFiled(result, client, text, entry_id, kept))  # staff told
            await uow.commit()
        return result

    async def record_reply(
        self, actor: Staff, item_id: int, text: str, tg_message_id: int | None = None
    ) -> int:
        """Keeps a staff reply on the timeline and has it sent to the client (ReplyRecorded);
        returns the client's chat."""
        text = text.strip()
        if not text:
            raise InvalidInput(field="text", value=text)
        async with self._uow() as uow:
            item = await visible_item(uow, actor, item_id)
            contact = await uow.clients.get_contact(item.contact_id) if item.contact_id else None
            if contact is None or contact.tg_chat_id is None:
                raise NoClientChat(item_id=item_id)
            await take_unassigned(uow, actor, item, self._clock.now(), by_reply=True)
            entry_id = await uow.timeline.add(TimelineEntry(
                item.id, self._clock.now(), TimelineKind.STAFF_REPLY, text,
                author_id=actor.user_id, tg_message_id=tg_message_id))
            await uow.publish(ReplyRecorded(item.id, contact.tg_chat_id, text, actor.user_id,
                                            entry_id))
            await uow.commit()
        return contact.tg_chat_id

    async def timeline(self, actor: Staff, item_id: int, limit: int = 20) -> list[TimelineEntry]:
        async with self._uow(write=False) as uow:
            await visible_item(uow, actor, item_id)
            return await uow.timeline.for_item(item_id, limit)

    async def _contact(self, uow: UnitOfWork, client: ClientInfo) -> tuple[Contact, bool]:
        contact = await uow.clients.contact_by_chat(client.chat_id)
        if contact is None:
            name = one_line(client.name) or client.username or str(client.user_id)
            contact = await uow.clients.add_contact(Contact(
                0, name, tg_chat_id=client.chat_id, tg_username=client.username,
                language=client.language), self._clock.now())
            return contact, True
        if (contact.tg_username, contact.language) != (client.username, client.language):
            contact.tg_username = client.username or contact.tg_username
            contact.language = client.language or contact.language
            await uow.clients.update_contact(contact)
        return contact, False

    async def _open_item(
        self, uow: UnitOfWork, contact: Contact, text: str, company_name: str | None
    ) -> Item:
        """A lead in classic mode, a deal in simple mode, in the default pipeline's first
        stage, with nobody responsible yet (so rules of that stage run as for any item)."""
        classic = await current_mode(uow) is CrmMode.CLASSIC
        company = one_line(company_name or "")
        custom: dict[str, object] = {}
        company_id = contact.company_id
        if company and classic:
            custom["company_name"] = company  # the conversion creates the company from it
        elif company and company_id is None:
            company_id = await self._company(uow, company)
            contact.company_id = company_id
            await uow.clients.update_contact(contact)
        snippet = short_text(text)  # the first words: the whole message is on the timeline
        return await create_item(uow, None, NewItem(
            "lead" if classic else "deal", f"{contact.name}: {snippet}"[:MAX_TITLE],
            contact_id=contact.id, company_id=company_id, source="telegram", custom=custom),
            self._clock.now(), default_currency=self._items.default_currency)

    async def _company(self, uow: UnitOfWork, name: str) -> int:
        exact = await uow.clients.company_named(name)
        if exact is not None:
            return exact.id
        return (await uow.clients.add_company(Company(0, name), self._clock.now())).id
