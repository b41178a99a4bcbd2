"""Contacts that look like one about to be created: the same name (without titles, any
order, any case, with or without accents), the same phone number (by its digits) or the
same e-mail address (any case). See contact_details for how each is compared.

Each kind of likeness is one indexed look-up (contact_directory), so the check costs the
same at 100,000 contacts as at ten. The bot asks before it creates: /contact, and the
contact step of the /new and lead dialogs.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm.models import Contact
from crm.services.contact_details import (
    MAX_COUNTRY_CODE,
    MIN_SAME_DIGITS,
    clean_email,
    clean_phone,
    name_words,
    phone_key,
    same_email,
    same_name,
    same_phone,
)
from crm.storage.repos.contact_directory import ContactDirectory
from crm.storage.search import phone_key_search, search_text
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

MAX_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Duplicate:
    contact: Contact
    by: frozenset[str]  # what matched: "name", "phone", "email"


async def find_duplicates(uow: UnitOfWork, name: str | None, phone: str | None = None,
                          email: str | None = None) -> list[Duplicate]:
    """The existing contacts like the given (already checked) details, oldest first."""
    directory = uow.extension(ContactDirectory)
    found: dict[int, tuple[Contact, set[str]]] = {}

    def keep(contact: Contact, why: str) -> None:
        found.setdefault(contact.id, (contact, set()))[1].add(why)

    if name and (query := search_text(" ".join(name_words(name)), prefix=False,
                                      column="name")):
        for contact in await directory.by_search(query):
            if same_name(contact.name, name):
                keep(contact, "name")
    if phone and len(key := phone_key(phone)) >= MIN_SAME_DIGITS:
        keys = [key[cut:] for cut in range(MAX_COUNTRY_CODE + 1)
                if len(key) - cut >= MIN_SAME_DIGITS]
        candidates = await directory.by_phone_keys(keys)
        candidates += await directory.by_search(phone_key_search(key))
        for contact in candidates:
            if same_phone(contact.phone, phone):
                keep(contact, "phone")
    if email:
        for contact in await directory.by_email(email):
            if same_email(contact.email, email):
                keep(contact, "email")
    return [Duplicate(contact, frozenset(why))
            for _id, (contact, why) in sorted(found.items())][:MAX_SHOWN]


class DuplicateService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def like(self, name: str | None, phone: str | None = None,
                   email: str | None = None) -> list[Duplicate]:
        """Contacts like the one /contact is about to create. A phone number or e-mail
        address that is not valid raises InvalidInput, as creating would."""
        phone, email = clean_phone(phone), clean_email(email)
        async with self._uow(write=False) as uow:
            return await find_duplicates(uow, one_line(name or ""), phone, email)

    async def like_name(self, name: str) -> list[Duplicate]:
        """Contacts whose name is like the one typed for a new item — none when one has
        exactly that name (any case): the new item takes that one, as it always did."""
        name = one_line(name)
        async with self._uow(write=False) as uow:
            if await uow.clients.contact_named(name) is not None:
                return []
            return await find_duplicates(uow, name)
