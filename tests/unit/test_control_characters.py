"""Null bytes, escape sequences and direction overrides typed into titles and names are
not stored."""

from __future__ import annotations

from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from crm.services.staff import TelegramUser

HOSTILE = "Re\x00lau\x1b[31mnch\u202e\x7f  2026\r\n"


async def test_titles_and_names_are_stored_without_control_characters(
        services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", HOSTILE, contact_name="An\x00na"))
    contact = await services.clients.create_contact(admin, "Carl\x07 Crash", "+49 30 1234",
                                                    None, "Ac\x00me\tGmbH")
    await services.editing.edit(admin, item.id, "title", "Neu\x00er Titel\x1b")
    async with services.uow(write=False) as uow:
        stored = await uow.items.get(item.id)
        anna = await uow.clients.get_contact(stored.contact_id) \
            if stored and stored.contact_id else None
        carl = await uow.clients.get_contact(contact.id)
        company = await uow.clients.get_company(carl.company_id) if carl and carl.company_id \
            else None
    assert stored is not None and stored.title == "Neuer Titel"
    assert anna is not None and anna.name == "Anna"
    assert carl is not None and carl.name == "Carl Crash"
    assert company is not None and company.name == "Acme GmbH"
    assert item.title == "Relau[31mnch 2026"


async def test_a_telegram_name_with_control_characters_is_stored_clean(
        services: CrmServices) -> None:
    staff = await services.staff.start(TelegramUser(1001, "Ada\x00 \u202eAdmin"))
    assert staff is not None and staff.name == "Ada Admin"
