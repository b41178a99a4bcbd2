"""Contacts by hand: changing a contact's details (directly or through one of its items),
the contact list with search, and a contact's card with its items.

- Changes: `name`, `phone`, `email`, `company` of a contact; of an item, the `phone` and
  `email` of its contact (German names work too: telefon, e-mail, firma...). `-` clears a
  value (not the name). Phone numbers and e-mail addresses are checked as in
  contact_details. Each change is noted on the timeline of the item it was made through,
  or of the contact's newest items (MAX_NOTED) when made on the contact, in a line that
  reads the same in any language ("☎️ Anna Schmidt: +4930111 → +4930222").
- Everyone on the staff may see and change contacts; a salesperson sees, on a contact's
  card, only the items they may see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, InputProblem, InvalidInput, NotFound
from crm.models import Company, Contact, Item, Staff, TimelineEntry, TimelineKind
from crm.services.clients import clean_name
from crm.services.contact_details import clean_email, clean_phone
from crm.storage.repos.contact_directory import ContactDirectory
from crm.storage.search import search_text
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

CLEAR = "-"
MAX_NOTED = 20       # items whose timeline notes a change made on the contact itself
CARD_ITEMS = 10      # items listed on a contact's card
ITEM_FIELDS = {
    "phone": "phone", "telefon": "phone", "tel": "phone", "telephone": "phone",
    "mobile": "phone", "handy": "phone", "email": "email", "e-mail": "email",
    "mail": "email",
}
CONTACT_FIELDS = ITEM_FIELDS | {
    "name": "name", "company": "company", "firma": "company", "unternehmen": "company",
}
ICONS = {"name": "👤", "phone": "☎️", "email": "✉️", "company": "🏢"}


def item_contact_field(word: str) -> str | None:
    """The contact field `/edit <item> <word> …` means, or None for an item's own field."""
    return ITEM_FIELDS.get(word.strip().lower())


def contact_field(word: str) -> str:
    found = CONTACT_FIELDS.get(word.strip().lower())
    if found is None:
        raise InvalidInput(field="field", value=word,
                           problem=InputProblem.UNKNOWN_CONTACT_FIELD)
    return found


@dataclass(slots=True)
class ContactPage:
    contacts: list[Contact]
    companies: dict[int, str]   # names of the companies of the contacts shown
    has_older: bool
    has_newer: bool


@dataclass(slots=True)
class ContactCard:
    contact: Contact
    company: Company | None
    items: list[Item]           # the newest CARD_ITEMS the actor may see
    more_items: bool = False


class ContactService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def edit_item_contact(self, actor: Staff, item_id: int, word: str,
                                text: str) -> Contact:
        """Changes the phone or e-mail of the item's contact."""
        name = item_contact_field(word)
        if name is None:
            raise InvalidInput(field="field", value=word, problem=InputProblem.UNKNOWN_FIELD)
        async with self._uow() as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            contact = await uow.clients.get_contact(item.contact_id) if item.contact_id \
                else None
            if contact is None:
                raise InvalidInput(field=name, value=item_id, problem=InputProblem.NO_CONTACT)
            line = await self._change(uow, contact, name, text)
            if line:
                await self._note(uow, actor, [item_id], line)
            await uow.commit()
        return contact

    async def edit_contact(self, actor: Staff, contact_id: int, word: str,
                           text: str) -> Contact:
        """Changes a contact's name, phone, e-mail or company."""
        name = contact_field(word)
        async with self._uow() as uow:
            contact = await uow.clients.get_contact(contact_id)
            if contact is None:
                raise NotFound(what=Entity.CONTACT, ref=contact_id)
            line = await self._change(uow, contact, name, text)
            if line:
                items = await uow.extension(ContactDirectory).items(contact.id, None, MAX_NOTED)
                await self._note(uow, actor, [i.id for i in items], line)
            await uow.commit()
        return contact

    async def page(self, actor: Staff, text: str | None = None, before: int = 0,
                   after: int = 0, size: int = 8) -> ContactPage:
        """A page of contacts, newest first; with `text`, those whose name, e-mail or phone
        number has words starting with its words (a number also by its digits)."""
        match = search_text(text) if text else None
        if text and match is None:
            return ContactPage([], {}, False, False)
        async with self._uow(write=False) as uow:
            directory = uow.extension(ContactDirectory)
            rows = await directory.page(match, before or None, after or None, size + 1)
            more = len(rows) > size
            if after:
                contacts = rows[len(rows) - size:] if more else rows
                has_newer, has_older = more, True
            else:
                contacts = rows[:size]
                has_newer, has_older = bool(before), more
            companies = await directory.company_names(
                {c.company_id for c in contacts if c.company_id})
        return ContactPage(contacts, companies, has_older and bool(contacts),
                           has_newer and bool(contacts))

    async def card(self, actor: Staff, contact_id: int) -> ContactCard:
        async with self._uow(write=False) as uow:
            contact = await uow.clients.get_contact(contact_id)
            if contact is None:
                raise NotFound(what=Entity.CONTACT, ref=contact_id)
            company = await uow.clients.get_company(contact.company_id) \
                if contact.company_id else None
            owner = None if actor.sees_all_items else actor.user_id
            items = await uow.extension(ContactDirectory).items(contact.id, owner,
                                                                CARD_ITEMS + 1)
        return ContactCard(contact, company, items[:CARD_ITEMS], len(items) > CARD_ITEMS)

    async def _change(self, uow: UnitOfWork, contact: Contact, name: str,
                      text: str) -> str | None:
        return await change_contact(uow, contact, name, text, self._clock.now())

    async def _note(self, uow: UnitOfWork, actor: Staff, item_ids: list[int],
                    line: str) -> None:
        now = self._clock.now()
        for item_id in item_ids:
            await uow.timeline.add(TimelineEntry(item_id, now, TimelineKind.CONTACT_CHANGE, line,
                                                 author_id=actor.user_id))


async def change_contact(uow: UnitOfWork, contact: Contact, name: str, text: str,
                         now: datetime) -> str | None:
    """Sets the contact's `name`, `phone`, `email` or `company` (`-` clears all but the
    name) in `uow`; the timeline line saying so, or None when nothing changed. Raises
    InvalidInput for a value that does not fit (by hand and by a rule alike)."""
    value = text.strip()
    cleared = value == CLEAR
    old: str | None
    new: str | None
    if name == "name":
        old, new = contact.name, clean_name(value)
        contact.name = new
    elif name in ("phone", "email"):
        old, new = getattr(contact, name), _detail(name, value, cleared)
        setattr(contact, name, new)
    else:
        company = await uow.clients.get_company(contact.company_id) \
            if contact.company_id else None
        old, new = (company.name if company else None), None
        contact.company_id = None
        if not cleared:
            typed = one_line(value)
            if not typed or len(typed) > 120:
                raise InvalidInput(field="company", value=value)
            found = await uow.clients.company_named(typed) or \
                await uow.clients.add_company(Company(id=0, name=typed), now)
            contact.company_id, new = found.id, found.name
    if old == new:
        return None
    await uow.clients.update_contact(contact)
    subject = "" if name == "name" else f"{contact.name}: "
    return f"{ICONS[name]} {subject}{old or '—'} → {new or '—'}"


async def change_company(uow: UnitOfWork, company: Company, name: str, text: str
                         ) -> str | None:
    """Sets the company's `name`, `phone` or `email` (`-` clears all but the name); the
    timeline line saying so, or None when nothing changed. Raises InvalidInput."""
    value = text.strip()
    old: str | None
    new: str | None
    if name == "name":
        old, new = company.name, one_line(value)
        if not new or len(new) > 120:
            raise InvalidInput(field="company", value=value)
        company.name = new
    elif name in ("phone", "email"):
        old, new = getattr(company, name), _detail(name, value, value == CLEAR)
        setattr(company, name, new)
    else:
        raise InvalidInput(field="field", value=name, problem=InputProblem.UNKNOWN_CONTACT_FIELD)
    if old == new:
        return None
    await uow.clients.update_company(company)
    subject = "" if name == "name" else f"{company.name}: "
    return f"{ICONS['company']}{ICONS[name] if name != 'name' else ''} {subject}" \
        f"{old or '—'} → {new or '—'}"


def _detail(name: str, value: str, cleared: bool) -> str | None:
    """A phone number or e-mail address as kept (None: cleared); raises InvalidInput."""
    if cleared:
        return None
    new = clean_phone(value) if name == "phone" else clean_email(value)
    if new is None:  # nothing typed, or not a number / an address
        problem = InputProblem.NOT_A_PHONE if name == "phone" else InputProblem.NOT_AN_EMAIL
        raise InvalidInput(field=name, value=value, problem=problem)
    return new
