"""Postal addresses by hand, for invoices (§ 14 UStG: the recipient's full name and
address): `/edit c<contact> address <street, postcode town>` sets a contact's;
`/edit <item> address …` sets the address the item's documents go to — its company's when
it has one, else its contact's. German words work too (adresse, anschrift); `-` clears.

Kept as one line whose parts are separated by commas ("Musterstraße 1, 10115 Berlin"; line
breaks typed become commas); documents print one line per part. The change is noted on
the timeline like other contact changes ("📍 Anna Schmidt: — → Musterstraße 1, …")."""

from __future__ import annotations

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, InputProblem, InvalidInput, NotFound
from crm.models import Company, Contact, Staff, TimelineEntry, TimelineKind
from crm.storage.repos.addresses import PostalAddresses
from crm.storage.repos.contact_directory import ContactDirectory
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

WORDS = ("address", "adresse", "anschrift", "postal_address", "postanschrift")
MAX_ADDRESS = 200
MAX_NOTED = 20  # items whose timeline notes a change made on the contact itself
CLEAR = "-"
ICON = "📍"


def is_address_field(word: str) -> bool:
    return word.strip().lower() in WORDS


def clean_address(text: str) -> str | None:
    """The address as kept (None: cleared); raises InvalidInput for nothing or too much."""
    if text.strip() == CLEAR:
        return None
    parts = [one_line(p) for p in text.replace("\n", ",").split(",")]
    address = ", ".join(p for p in parts if p)
    if not address or len(address) > MAX_ADDRESS:
        raise InvalidInput(field="address", value=text[:40], problem=InputProblem.TOO_LONG
                           if address else None)
    return address


class AddressService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def set_for_contact(self, actor: Staff, contact_id: int, text: str) -> Contact:
        address = clean_address(text)
        async with self._uow() as uow:
            contact = await uow.clients.get_contact(contact_id)
            if contact is None:
                raise NotFound(what=Entity.CONTACT, ref=contact_id)
            if contact.address != address:
                await uow.extension(PostalAddresses).set_contact(contact.id, address)
                items = await uow.extension(ContactDirectory).items(contact.id, None, MAX_NOTED)
                await self._note(uow, actor, [i.id for i in items], contact, address)
                contact.address = address
            await uow.commit()
        return contact

    async def set_for_item(self, actor: Staff, item_id: int, text: str) -> Contact | Company:
        """Sets the address of the item's company, else of its contact; returns which."""
        address = clean_address(text)
        async with self._uow() as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            company = await uow.clients.get_company(item.company_id) if item.company_id \
                else None
            holder: Contact | Company | None = company or (
                await uow.clients.get_contact(item.contact_id) if item.contact_id else None)
            if holder is None:
                raise InvalidInput(field="address", value=item_id,
                                   problem=InputProblem.NO_CONTACT)
            if holder.address != address:
                addresses = uow.extension(PostalAddresses)
                if isinstance(holder, Company):
                    await addresses.set_company(holder.id, address)
                else:
                    await addresses.set_contact(holder.id, address)
                await self._note(uow, actor, [item_id], holder, address)
                holder.address = address
            await uow.commit()
        return holder

    async def _note(self, uow: UnitOfWork, actor: Staff, item_ids: list[int],
                    holder: Contact | Company, address: str | None) -> None:
        line = f"{ICON} {holder.name}: {holder.address or '—'} → {address or '—'}"
        now = self._clock.now()
        for item_id in item_ids:
            await uow.timeline.add(TimelineEntry(item_id, now, TimelineKind.CONTACT_CHANGE, line,
                                                 author_id=actor.user_id))
