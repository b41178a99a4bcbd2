"""Change several fields, change a contact's or company's field, create an item of another
type: what a run changes, why a value that does not fit fails it (changing nothing), what a
rule that cannot work is refused with when saved, and what test mode shows."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from crm.container import CrmServices
from crm.models import Company, Product, Staff, TimelineKind
from crm.queries import ItemQuery
from crm.services.items import NewItem
from rules.container import Automation
from rules.errors import RuleInvalid, RulesFileError
from rules.kinds import CATALOGUE
from rules.kinds.change_fields import describe, read_changes
from rules.model import Execution, RunState
from rules.services.test_mode import TestModeService
from tests.conftest import ADMIN_ID
from tests.rules.conftest import add_rule, client_contact, stage_id
from tests.rules.data.conftest import failure, item, runs_of


async def test_several_fields_change_in_one_run_and_one_that_does_not_fit_changes_none(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "change_fields", {"changes": {
        "Betrag": "{{ item.amount * 1.19 }}", "title": "{{ item.title }} (won)",
        "probability": "100", "custom.po": "PO-{{ item.id }}"}}, title="Close it")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      amount=Decimal("1000.00"),
                                                      custom={"p": "90"}))
    other = await services.items.create(admin, NewItem("deal", "Broken", amount=Decimal(5),
                                                       custom={"p": "200"}))
    await add_rule(automation, admin, won, "change_fields", {"changes": {
        "title": "Touched", "probability": "{{ item.custom.p }}"}}, title="Too much",
        execution=Execution.AFTER_PREVIOUS)
    for moved in (deal, other):
        await services.items.move(admin, moved.id, won)
    await automation.tick()

    changed = await item(services, deal.id)
    assert (changed.amount, changed.title, changed.custom) == (
        Decimal("1190.00"), "Touched", {"p": "90", "probability": 90, "po": f"PO-{deal.id}"})
    # the second rule's title was written for the first item only: for the other one its
    # probability did not fit, so its title stayed too
    broken = await item(services, other.id)
    assert broken.title == "Broken (won)"
    assert await failure(automation, admin, other.id, "Too much") == \
        "“200” is not a probability (a whole number from 0 to 100)"
    assert await failure(automation, admin, other.id, "Too much", "de") == \
        "„200“ ist keine Wahrscheinlichkeit (eine ganze Zahl von 0 bis 100)"


async def test_changes_are_typed_as_lines_and_checked_when_saved(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    assert read_changes("amount = 1.200,00\n\ncustom.code = A=B\n") == {
        "amount": "1.200,00", "custom.code": "A=B"}
    new = await stage_id(services, "deal", "new")
    rule = await add_rule(automation, admin, new, "change_fields",
                          {"changes": "Titel = Neu\nwahrscheinlichkeit = 20"})
    assert rule.params == {"changes": "title = Neu\nprobability = 20"}
    assert rule.title == "Change several fields: title = Neu, probability = 20"
    with pytest.raises(RuleInvalid) as refused:
        await add_rule(automation, admin, new, "change_fields",
                       {"changes": {"amount": "lots", "title": "x"}})
    assert refused.value.params["errors"][0]["reason"] == \
        "“lots” is not an amount (a number from 0 to 1,000,000,000,000)"
    for bad in ({"colour": "red"}, {}, "just words", "\n".join(f"custom.f{i} = 1"
                                                               for i in range(11))):
        with pytest.raises(RuleInvalid):
            await add_rule(automation, admin, new, "change_fields", {"changes": bad})


async def test_the_contacts_and_the_companys_fields_change_and_the_history_says_so(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    contact = await client_contact(services)
    async with services.uow() as uow:
        company = await uow.clients.add_company(Company(0, "Schmidt GmbH"), services.clock.now())
        contact.company_id = company.id
        await uow.clients.update_contact(contact)
        await uow.commit()
    in_progress = await stage_id(services, "deal", "in_progress")
    await add_rule(automation, admin, in_progress, "change_contact",
                   {"field": "phone", "value": "{{ item.custom.phone }}"}, title="Phone")
    await add_rule(automation, admin, in_progress, "change_contact",
                   {"of": "company", "field": "email", "value": "info@schmidt.example"},
                   title="Mail")
    await add_rule(automation, admin, in_progress, "change_contact",
                   {"field": "email", "value": "{{ item.custom.mail }}"}, title="Bad mail")
    await add_rule(automation, admin, in_progress, "change_contact",
                   {"of": "company", "field": "address",
                    "value": "{{ item.custom.street }}\n10115 Berlin"}, title="Address")
    deal = await services.items.create(admin, NewItem(
        "deal", "Relaunch", contact_id=contact.id,
        custom={"phone": "0049 30 1234567", "mail": "not an address",
                "street": "Musterstraße 1"}))
    await services.items.move(admin, deal.id, in_progress)
    await automation.tick()

    async with services.uow(write=False) as uow:
        stored = await uow.clients.get_contact(contact.id)
        firm = await uow.clients.get_company(company.id)
        history = await uow.timeline.for_item(deal.id)
    assert stored is not None and firm is not None
    assert (stored.phone, stored.email) == ("+49301234567", None)
    assert (firm.email, firm.address) == ("info@schmidt.example",
                                          "Musterstraße 1, 10115 Berlin")
    assert [e.text for e in history if e.kind is TimelineKind.CONTACT_CHANGE] == [
        "☎️ Anna Schmidt: — → +49301234567",
        "🏢✉️ Schmidt GmbH: — → info@schmidt.example",
        "📍 Schmidt GmbH: — → Musterstraße 1, 10115 Berlin"]
    assert await failure(automation, admin, deal.id, "Bad mail", "de") == \
        "„not an address“ ist keine E-Mail-Adresse"


async def test_an_item_without_a_contact_fails_and_a_bad_value_is_refused_when_saved(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "change_contact",
                   {"of": "company", "field": "name", "value": "Firma"}, title="Firm")
    deal = await services.items.create(admin, NewItem("deal", "Alone"))
    await automation.tick()
    assert await failure(automation, admin, deal.id, "Firm") == "the item has no company"
    with pytest.raises(RuleInvalid) as refused:
        await add_rule(automation, admin, new, "change_contact",
                       {"field": "phone", "value": "call me"})
    assert refused.value.params["errors"][0]["reason"] == "“call me” is not a phone number"
    with pytest.raises(RuleInvalid) as refused:
        await add_rule(automation, admin, new, "change_contact",
                       {"field": "address", "value": "x" * 201})
    assert refused.value.params["errors"][0]["reason"] == \
        "the postal address is empty or longer than 200 characters"
    for bad in ({"field": "name", "value": "-"}, {"of": "company", "field": "company",
                                                  "value": "x"}, {"field": "fax", "value": "1"}):
        with pytest.raises(RuleInvalid):
            await add_rule(automation, admin, new, "change_contact", bad)


async def test_a_deal_makes_its_invoice_whose_own_stage_rules_run(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    contact = await client_contact(services)
    final = await stage_id(services, "deal", "final_invoice")
    await add_rule(automation, admin, final, "create_item",
                   {"to": "invoice", "title": "Invoice: {{ item.title }}"}, title="Invoice")
    invoice_new = await stage_id(services, "invoice", "new")
    await add_rule(automation, admin, invoice_new, "add_note",
                   {"text": "Made for {{ contact.name }}: {{ item.amount }}"}, title="Note")
    deal = await services.items.create(admin, NewItem(
        "deal", "Relaunch", contact_id=contact.id, custom={"po": "77"},
        products=[Product("Design", Decimal("1200.00"), Decimal(2)),
                  Product("Hosting", Decimal("30.00"))]))
    await services.items.move(admin, deal.id, final)
    await automation.tick()

    invoices, total = await services.items.list(admin, ItemQuery(type_code="invoice"))
    assert total == 1
    invoice = await item(services, invoices[0].id)
    assert (invoice.title, invoice.stage_id, invoice.contact_id, invoice.responsible_id,
            invoice.amount, invoice.custom) == (
        "Invoice: Relaunch", invoice_new, contact.id, ADMIN_ID, Decimal("2430.00"),
        {"po": "77"})
    assert [(p.name, p.price, p.quantity) for p in invoice.products] == [
        ("Design", Decimal("1200.00"), Decimal(2)), ("Hosting", Decimal("30.00"), Decimal(1))]
    assert await runs_of(services, invoice.id) == [("Note", RunState.DONE)]
    card = await services.cards.card(admin, invoice.id, with_history=True)
    assert card.copied_from == deal.id and card.made_from is not None
    assert card.made_from.code == "deal"
    assert [n.text for n in card.notes] == ["Made for Anna Schmidt: 2430.00"]


async def test_creating_is_previewed_and_refused_for_a_type_that_does_not_exist(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    with pytest.raises(RuleInvalid) as refused:
        await add_rule(automation, admin, won, "create_item", {"to": "pizza"})
    assert refused.value.params["errors"][0]["reason"] == "there is no item type “pizza”"
    with pytest.raises(RuleInvalid):
        await add_rule(automation, admin, won, "create_item", {"to": "invoice",
                                                               "pipeline_id": 2})
    await add_rule(automation, admin, won, "create_item", {"to": "Invoice"}, title="Invoice")
    await add_rule(automation, admin, won, "change_fields",
                   {"changes": {"amount": "{{ item.amount * 2 }}", "custom.x": ""}},
                   title="Both")
    await add_rule(automation, admin, won, "change_contact",
                   {"field": "name", "value": "{{ contact.name }} Jr."}, title="Name")
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", amount=Decimal(100),
                                                      contact_id=contact.id))
    preview = await automation.test_mode.preview(admin, deal.id, won)
    said = {r.rule.title: [p.recipient for p in r.previews] for r in preview.rules}
    assert said == {
        "Invoice": ["create the Invoice “Relaunch” in “General” / “New” with the amount "
                    "€100.00"],
        "Both": ["set amount to “200.00”, clear custom.x"],
        "Name": ["set the contact’s name to “Anna Schmidt Jr.”"],
    }
    _items, total = await services.items.list(admin, ItemQuery())
    assert total == 1  # nothing was created
    assert CATALOGUE["create_item"].configure({"to": "quote"}).summary("de") == \
        "Element eines anderen Typs anlegen: ein Angebot"


async def test_a_rules_file_carries_each_new_kind_there_and_back(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    kinds: dict[str, dict[str, Any]] = {
        "change_fields": {"changes": {"amount": "{{ item.amount * 2 }}", "probability": "90"}},
        "change_contact": {"of": "company", "field": "phone", "value": "+49 30 1234567"},
        "complete_activities": {"activity": "call"},
        "create_item": {"to": "invoice", "title": "Invoice {{ item.title }}"},
        "wait_for": {"until": "condition", "condition": "Betrag > 10", "amount": 2,
                     "unit": "hours"},
    }
    for kind, params in kinds.items():
        await add_rule(automation, admin, won, kind, params, title=kind)
    exported = await automation.files.export_text(admin)
    assert "kind: wait_for" in exported and "condition: amount > 10" in exported
    report = await automation.files.import_text(admin, exported)
    assert (report.added, report.updated) == (0, len(kinds))
    rules = {r.kind: r.params for r in await automation.rules.for_stage(admin, won)}
    assert rules == {**kinds, "wait_for": {**kinds["wait_for"], "condition": "amount > 10"},
                     "change_fields": {"changes": "amount = {{ item.amount * 2 }}\n"
                                                  "probability = 90"}}
    broken = exported.replace("condition: amount > 10", "condition: amount >")
    with pytest.raises(RulesFileError):
        await automation.files.import_text(admin, broken)


def test_what_test_mode_says_reads_in_german_too() -> None:
    assert describe({"amount": "200.00", "custom.x": ""}, "de") == \
        "Betrag auf „200.00“ setzen, custom.x leeren"
    contact = CATALOGUE["change_contact"].configure(
        {"of": "company", "field": "email", "value": "info@firma.example"})
    assert contact.summary("de") == ("Kontakt- oder Unternehmensfeld ändern: E-Mail-Adresse des "
                                     "Unternehmens = info@firma.example")
    waits = CATALOGUE["wait_for"].configure({"until": "condition",
                                             "condition": "amount > 10", "amount": 1})
    assert waits.summary("de") == \
        "Auf Antwort oder Bedingung warten: Betrag > 10, höchstens 1 Tag"
    completes = CATALOGUE["complete_activities"].configure({"activity": "task", "user_id": 5})
    assert completes.summary("de") == "Offene Aktivitäten erledigen: offene Aufgaben eines " \
        "Teammitglieds"


async def test_creating_an_invoice_is_described_in_german(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    final = await stage_id(services, "deal", "final_invoice")
    await add_rule(automation, admin, final, "create_item", {"to": "invoice"}, title="Invoice")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", products=[
        Product("Design", Decimal("1200.00"), Decimal(2)), Product("Hosting", Decimal(30))]))
    german = dataclasses.replace(automation.config, default_language="de")
    test_mode = TestModeService(services.uow, services.clock, automation.renderer, german,
                                lambda: None)
    preview = await test_mode.preview(admin, deal.id, final)
    assert [p.recipient for p in preview.rules[0].previews] == [
        "Rechnung „Relaunch“ mit 2 Produkten, 2.430,00\xa0€ in „Allgemein“ / „Neu“ anlegen"]
