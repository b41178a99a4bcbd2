"""Contacts and companies, and linking them to items."""

from __future__ import annotations

from datetime import datetime

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Conflict, Entity, InvalidInput, NotFound, StaleCard
from crm.events import ClientConnected
from crm.models import Company, Contact, Item, Staff
from crm.services.contact_details import clean_email, clean_phone
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line


def clean_name(name: str) -> str:
    name = one_line(name)
    if not name or len(name) > 120:
        raise InvalidInput(field="name", value=name)
    return name


async def contact_named(uow: UnitOfWork, name: str, at: datetime) -> Contact:
    """The contact of that exact name (any case), or a new one, in the caller's transaction."""
    name = clean_name(name)
    found = await uow.clients.contact_named(name)
    return found or await uow.clients.add_contact(Contact(id=0, name=name), at)


class ClientService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def create_contact(
        self, actor: Staff, name: str, phone: str | None = None, email: str | None = None,
        company_name: str | None = None,
    ) -> Contact:
        name = clean_name(name)
        contact = Contact(id=0, name=name, phone=clean_phone(phone), email=clean_email(email))
        company_name = one_line(company_name or "")
        async with self._uow() as uow:
            if company_name:
                company = await uow.clients.company_named(company_name) or \
                    await uow.clients.add_company(Company(id=0, name=company_name),
                                                  self._clock.now())
                contact.company_id = company.id
            await uow.clients.add_contact(contact, self._clock.now())
            await uow.commit()
        return contact

    async def find_or_create_contact(self, actor: Staff, name: str) -> Contact:
        """The contact of that exact name, or a new one: what the quick form wants."""
        async with self._uow() as uow:
            contact = await contact_named(uow, name, self._clock.now())
            await uow.commit()
        return contact

    async def find(self, actor: Staff | None, text: str) -> tuple[list[Contact], list[Company]]:
        async with self._uow(write=False) as uow:
            return (await uow.clients.find_contacts(text), await uow.clients.find_companies(text))

    async def contact(self, contact_id: int) -> Contact:
        async with self._uow(write=False) as uow:
            contact = await uow.clients.get_contact(contact_id)
        if contact is None:
            raise NotFound(what=Entity.CONTACT, ref=contact_id)
        return contact

    async def link(
        self, actor: Staff, item_id: int, contact_id: int | None = None,
        company_id: int | None = None,
    ) -> Item:
        async with self._uow() as uow:
            item = await uow.items.get(item_id)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            if contact_id is not None:
                contact = await uow.clients.get_contact(contact_id)
                if contact is None:
                    raise NotFound(what=Entity.CONTACT, ref=contact_id)
                item.contact_id = contact.id
                if item.company_id is None and contact.company_id:
                    item.company_id = contact.company_id
            if company_id is not None:
                if await uow.clients.get_company(company_id) is None:
                    raise NotFound(what=Entity.COMPANY, ref=company_id)
                item.company_id = company_id
            item.updated_at = self._clock.now()
            if not await uow.items.save(item, item.version):
                raise StaleCard(item_id=item_id)
            await uow.commit()
        return item

    async def connect_chat(self, contact_id: int, chat_id: int, username: str | None,
                           language: str | None) -> Contact:
        """A client opened their contact's start link: messages can reach them from now on.
        A link opened from another Telegram account than the one already connected is
        refused, so a forwarded link cannot redirect a client's messages."""
        async with self._uow() as uow:
            contact = await uow.clients.get_contact(contact_id)
            if contact is None:
                raise NotFound(what=Entity.CONTACT, ref=contact_id)
            if contact.tg_chat_id not in (None, chat_id):
                raise Conflict(what=Entity.CONTACT_CHAT, ref=contact_id)
            other = await uow.clients.contact_by_chat(chat_id)
            if other is not None and other.id != contact.id:
                other.tg_chat_id = None  # this chat belongs to the contact the staff chose
                await uow.clients.update_contact(other)
            newly = contact.tg_chat_id != chat_id
            contact.tg_chat_id = chat_id
            contact.tg_username = username or contact.tg_username
            contact.language = contact.language or language
            await uow.clients.update_contact(contact)
            # the client rules that could not reach them run again (rules/services/reconnect)
            await uow.publish(ClientConnected(contact.id, contact.name, chat_id,
                                              self._clock.now(), newly))
            await uow.commit()
        return contact
