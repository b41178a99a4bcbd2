"""Contacts (issue 12): phone and e-mail checks, duplicates, changes with their timeline
line, the contact list and search, a contact's card; every query through an index."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from crm.container import CrmServices
from crm.errors import InputProblem, InvalidInput
from crm.models import Role, Staff, TimelineKind
from crm.services.contact_details import (
    clean_email,
    clean_phone,
    name_key,
    same_name,
    same_phone,
)
from crm.services.items import NewItem
from tests.conftest import add_staff
from tests.query_plans import SKIP, plan_connection, recording, scans


@pytest.mark.parametrize(("typed", "kept"), [
    ("+49 (30) 123-456", "+4930123456"), ("030 123456", "030123456"),
    ("0049 30 123456", "+4930123456"), ("030/123.456", "030123456"), ("  12345 ", "12345"),
])
def test_phone_numbers_are_kept_as_digits(typed: str, kept: str) -> None:
    assert clean_phone(typed) == kept


@pytest.mark.parametrize("typed", [
    "call me", "1234", "+49 30 123 456 789 012 345", "++49 30 123456", "49+30123456",
    "030 123456 ext. 5", "030_123456",
])
def test_wrong_phone_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_phone(typed)
    assert error.value.problem is InputProblem.NOT_A_PHONE


@pytest.mark.parametrize("typed", [
    "anna@example.com", "Anna.Schmidt+crm@mail.example.co.uk", "jürgen@müller.de",
])
def test_e_mail_addresses(typed: str) -> None:
    assert clean_email(f" {typed} ") == typed


@pytest.mark.parametrize("typed", [
    "anna", "anna@", "@example.com", "anna@example", "anna@@example.com", "an na@example.com",
    "anna@example.c", "anna@.example.com", "anna@example..com", ".anna@example.com",
    "anna@exa_mple.com", "anna@example.com-",
])
def test_wrong_e_mail_addresses_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_email(typed)
    assert error.value.problem is InputProblem.NOT_AN_EMAIL


def test_names_compare_without_titles_case_accents_or_order() -> None:
    assert same_name("Dr. Jana Hahn", "Jana Hahn")
    assert same_name("hahn, JÁNA", "Frau Prof. Dr. Jana Hahn")
    assert same_name("Mr Jürgen Groß", "jurgen gross")
    assert not same_name("Jana Hahn", "Jana Hahnemann")
    assert not same_name("Jana Hahn", "Jana Maria Hahn")
    assert name_key("Dr.") == ("dr",)  # a name of titles only keeps them


def test_phone_numbers_compare_by_digits_and_country_code() -> None:
    assert same_phone("+4930123456", "030 123456")
    assert same_phone("+49 30 123456", "0049 (30) 123-456")
    assert not same_phone("+4930123456", "+4930123457")
    assert not same_phone("123456", "999123456789123456")  # far more than a country code
    assert not same_phone("12345", "12345")  # too short to say


async def test_duplicates_by_name_phone_and_e_mail(services: CrmServices,
                                                   admin: Staff) -> None:
    jana = await services.clients.create_contact(admin, "Dr. Jana Hahn", phone="+49 30 123456",
                                                 email="Jana@Hahn.de")
    await services.clients.create_contact(admin, "Jana Hahnemann", phone="+49 40 999999")
    by_name = await services.duplicates.like("jána HAHN")
    assert [(d.contact.id, d.by) for d in by_name] == [(jana.id, frozenset({"name"}))]
    by_phone = await services.duplicates.like("Someone", phone="030 123456")
    assert [(d.contact.id, d.by) for d in by_phone] == [(jana.id, frozenset({"phone"}))]
    longer = await services.duplicates.like("Someone", phone="0049 30 123456")
    assert [d.contact.id for d in longer] == [jana.id]
    by_email = await services.duplicates.like("Someone", email="jana@hahn.DE")
    assert [(d.contact.id, d.by) for d in by_email] == [(jana.id, frozenset({"email"}))]
    every = await services.duplicates.like("Hahn Jana", "+4930123456", "jana@hahn.de")
    assert [d.by for d in every] == [{"name", "phone", "email"}]
    assert await services.duplicates.like("Jana Müller", "+49 30 654321", "x@y.de") == []
    with pytest.raises(InvalidInput):
        await services.duplicates.like("Jana", phone="call me")
    # The /new dialog's contact: an exact name is the contact it always took; a near one
    # is offered.
    assert await services.duplicates.like_name("DR. JANA HAHN") == []
    assert [d.contact.id for d in await services.duplicates.like_name("Jana Hahn")] == [
        jana.id]


async def test_changes_through_the_item_are_kept_and_noted(services: CrmServices,
                                                           admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Website",
                                                      contact_name="Anna Schmidt"))
    assert item.contact_id is not None
    await services.contacts.edit_item_contact(admin, item.id, "Telefon", "+49 (30) 111-222")
    await services.contacts.edit_item_contact(admin, item.id, "email", "anna@example.org")
    await services.contacts.edit_item_contact(admin, item.id, "email", "anna@example.org")
    contact = await services.clients.contact(item.contact_id)
    assert (contact.phone, contact.email) == ("+4930111222", "anna@example.org")
    async with services.uow(write=False) as uow:
        timeline = await uow.timeline.for_item(item.id)
    assert [(e.kind, e.text, e.author_id) for e in timeline] == [
        (TimelineKind.CONTACT_CHANGE, "☎️ Anna Schmidt: — → +4930111222", admin.user_id),
        (TimelineKind.CONTACT_CHANGE, "✉️ Anna Schmidt: — → anna@example.org", admin.user_id),
    ]
    for field, value, problem in (("phone", "call me", InputProblem.NOT_A_PHONE),
                                  ("email", "anna(at)x", InputProblem.NOT_AN_EMAIL),
                                  ("phone", "", InputProblem.NOT_A_PHONE)):
        with pytest.raises(InvalidInput) as error:
            await services.contacts.edit_item_contact(admin, item.id, field, value)
        assert error.value.problem is problem
    bare = await services.items.create(admin, NewItem("deal", "No one"))
    with pytest.raises(InvalidInput) as error:
        await services.contacts.edit_item_contact(admin, bare.id, "phone", "030 123456")
    assert error.value.problem is InputProblem.NO_CONTACT
    assert (await services.clients.contact(item.contact_id)).phone == "+4930111222"


async def test_changes_on_the_contact(services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Website",
                                                      contact_name="Anna Schmidt"))
    assert item.contact_id is not None
    await services.contacts.edit_contact(admin, item.contact_id, "firma", "ACME GmbH")
    await services.contacts.edit_contact(admin, item.contact_id, "name", "Anna Schmidt-Roth")
    await services.contacts.edit_contact(admin, item.contact_id, "phone", "030 1234567")
    await services.contacts.edit_contact(admin, item.contact_id, "phone", "-")
    card = await services.contacts.card(admin, item.contact_id)
    assert card.contact.name == "Anna Schmidt-Roth" and card.contact.phone is None
    assert card.company is not None and card.company.name == "ACME GmbH"
    assert [i.id for i in card.items] == [item.id]
    with pytest.raises(InvalidInput) as error:
        await services.contacts.edit_contact(admin, item.contact_id, "title", "x")
    assert error.value.problem is InputProblem.UNKNOWN_CONTACT_FIELD
    async with services.uow(write=False) as uow:
        lines = [e.text for e in await uow.timeline.for_item(item.id)]
    assert lines == ["🏢 Anna Schmidt: — → ACME GmbH", "👤 Anna Schmidt → Anna Schmidt-Roth",
                     "☎️ Anna Schmidt-Roth: — → 0301234567",
                     "☎️ Anna Schmidt-Roth: 0301234567 → —"]


async def test_a_salesperson_sees_only_their_items_on_a_contact_card(
        services: CrmServices, admin: Staff) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    anna = await services.clients.create_contact(admin, "Anna")
    mine = await services.items.create(sam, NewItem("deal", "Sam's", contact_id=anna.id))
    await services.items.create(admin, NewItem("deal", "Ada's", contact_id=anna.id,
                                               responsible_id=admin.user_id))
    assert [i.id for i in (await services.contacts.card(sam, anna.id)).items] == [mine.id]
    assert len((await services.contacts.card(admin, anna.id)).items) == 2


async def test_the_list_pages_by_id_and_searches(services: CrmServices, admin: Staff) -> None:
    for n in range(1, 20):
        await services.clients.create_contact(
            admin, f"Person {n:02}", phone=f"+49 30 5550{n:02}",
            email=f"p{n}@example.org", company_name="ACME" if n % 2 else None)
    first = await services.contacts.page(admin, size=8)
    assert [c.name for c in first.contacts][:2] == ["Person 19", "Person 18"]
    assert first.has_older and not first.has_newer
    assert first.companies == {first.contacts[0].company_id: "ACME"}
    second = await services.contacts.page(admin, before=first.contacts[-1].id, size=8)
    assert second.contacts[0].name == "Person 11" and second.has_older and second.has_newer
    last = await services.contacts.page(admin, before=second.contacts[-1].id, size=8)
    assert [c.name for c in last.contacts] == ["Person 03", "Person 02", "Person 01"]
    assert not last.has_older
    back = await services.contacts.page(admin, after=last.contacts[0].id, size=8)
    assert [c.name for c in back.contacts] == [c.name for c in second.contacts]
    for text, expected in (("person 07", ["Person 07"]), ("030 555007", ["Person 07"]),
                           ("+49 (30) 5550-07", ["Person 07"]), ("p7@example", ["Person 07"]),
                           ("nobody", [])):
        found = await services.contacts.page(admin, text)
        assert [c.name for c in found.contacts] == expected, text
    many = await services.contacts.page(admin, "person", size=8)
    assert len(many.contacts) == 8 and many.has_older


async def test_contact_queries_read_through_indexes(services: CrmServices, admin: Staff,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    anna = await services.clients.create_contact(admin, "Dr. Anna Schmidt", "+49 30 123456",
                                                 "anna@example.org", "ACME")
    item = await services.items.create(admin, NewItem("deal", "Web", contact_id=anna.id))
    runs: dict[str, Callable[[], Awaitable[object]]] = {
        "list": lambda: services.contacts.page(admin),
        "older": lambda: services.contacts.page(admin, before=anna.id + 1),
        "newer": lambda: services.contacts.page(admin, after=anna.id - 1),
        "search": lambda: services.contacts.page(admin, "schmidt"),
        "search older": lambda: services.contacts.page(admin, "030 123", before=anna.id + 1),
        "card": lambda: services.contacts.card(admin, anna.id),
        "duplicates": lambda: services.duplicates.like("Anna Schmidt", "030 123456",
                                                       "ANNA@example.org"),
        "edit": lambda: services.contacts.edit_item_contact(admin, item.id, "phone",
                                                            "030 654321"),
        "edit contact": lambda: services.contacts.edit_contact(admin, anna.id, "email",
                                                               "a@example.org"),
    }
    offenders = []
    with plan_connection(services.uow.db.location) as conn:
        for name, run in runs.items():
            async with recording(monkeypatch) as statements:
                await run()
            for sql, args in statements:
                if SKIP.match(sql):
                    continue
                offenders += [f"{name}: {line}: {' '.join(sql.split())}"
                              for line in scans(conn, sql, args, paged=name != "card")]
    assert not offenders, "\n".join(offenders)
