"""Converting leads: one by hand, and all open ones with the switch wizard's options."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from crm.container import CrmServices
from crm.errors import NotFound
from crm.events import ItemEnteredStage
from crm.models import Item, Product, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from crm.services.lead_conversion import LeadAlreadyConverted, LeadClosed, NotALead
from crm.services.mode import ConversionOptions

LEAD_DATA = {"name": "Anna Schmidt", "phone": "+49 30 1234567", "email": "anna@example.org",
             "company_name": "ACME GmbH"}


async def classic_leads(services: CrmServices, admin: Staff, n: int, **custom: Any) -> list[Item]:
    await services.mode.switch_to_classic(admin)
    return [
        await services.items.create(admin, NewItem(
            "lead", f"Lead {i}", amount=Decimal(100 + i), source="website", custom=dict(custom)))
        for i in range(n)
    ]


async def stage_code(services: CrmServices, admin: Staff, item_id: int) -> str | None:
    return (await services.cards.card(admin, item_id)).stage.code


async def deals(services: CrmServices, admin: Staff) -> list[Item]:
    found, _ = await services.items.list(admin, ItemQuery(type_code="deal", limit=100))
    return sorted(found, key=lambda d: d.id)


@pytest.mark.parametrize(("create", "contact", "company"),
                         [("contact", True, False), ("company", False, True), ("both", True, True)])
async def test_convert_one_lead_creates_the_chosen_clients(
    services: CrmServices, admin: Staff, create: str, contact: bool, company: bool
) -> None:
    [lead] = await classic_leads(services, admin, 1, **LEAD_DATA)
    async with services.uow() as uow:
        await uow.items.add_product(lead.id, Product("Consulting", Decimal("50"), Decimal(2)))
        await uow.commit()
    result = await services.conversion.convert_lead(admin, lead.id, create=create)
    assert (result.contact_id is not None, result.company_id is not None) == (contact, company)
    assert (result.counts.contacts_created, result.counts.companies_created) == (contact, company)
    card = await services.cards.card(admin, result.deal_id)
    assert (card.item.type_code, card.stage.code, card.pipeline.is_default) == ("deal", "new", True)
    assert (card.item.title, card.item.amount, card.item.source) == (
        "Lead 0", Decimal(100), "website")
    assert [(p.name, p.total) for p in card.item.products] == [("Consulting", Decimal(100))]
    assert card.item.responsible_id == admin.user_id
    if contact:
        assert card.contact is not None
        assert (card.contact.name, card.contact.phone) == ("Anna Schmidt", "+49 30 1234567")
    if company:
        assert card.company is not None and card.company.name == "ACME GmbH"
    if contact and company:
        assert card.contact is not None and card.company is not None
        assert card.contact.company_id == card.company.id
    assert await stage_code(services, admin, lead.id) == "converted"
    async with services.uow(write=False) as uow:
        assert await uow.conversion.deal_for_lead(lead.id) == result.deal_id


async def test_convert_one_lead_links_existing_clients(services: CrmServices, admin: Staff) -> None:
    lead, other = await classic_leads(services, admin, 2, **LEAD_DATA)
    anna = await services.clients.create_contact(admin, "Anna S.")
    acme = (await services.clients.create_contact(admin, "Bob", company_name="ACME")).company_id
    assert acme is not None
    result = await services.conversion.convert_lead(admin, lead.id, create="both",
                                                    contact_id=anna.id, company_id=acme)
    assert (result.contact_id, result.company_id) == (anna.id, acme)
    assert (result.counts.contacts_created, result.counts.companies_created) == (0, 0)
    with pytest.raises(NotFound):
        await services.conversion.convert_lead(admin, other.id, contact_id=999)
    with pytest.raises(NotFound):
        await services.conversion.convert_lead(admin, other.id, company_id=999)
    assert await stage_code(services, admin, other.id) == "new"  # refused: nothing changed


async def test_a_lead_with_a_contact_keeps_it(services: CrmServices, admin: Staff) -> None:
    anna = await services.clients.create_contact(admin, "Anna", company_name="ACME")
    await services.mode.switch_to_classic(admin)
    lead = await services.items.create(admin, NewItem("lead", "Via Anna", contact_id=anna.id))
    result = await services.conversion.convert_lead(admin, lead.id, create="both")
    assert (result.contact_id, result.company_id) == (anna.id, anna.company_id)
    assert (result.counts.contacts_created, result.counts.companies_created) == (0, 0)


async def test_only_open_leads_are_converted_by_hand(services: CrmServices, admin: Staff) -> None:
    junk, reopened = await classic_leads(services, admin, 2)
    deal = await services.items.create(admin, NewItem("deal", "Not a lead"))
    with pytest.raises(NotALead):
        await services.conversion.convert_lead(admin, deal.id)
    stages = (await services.cards.card(admin, junk.id)).stages
    await services.items.move(admin, junk.id, next(s.id for s in stages if s.code == "junk"))
    with pytest.raises(LeadClosed):
        await services.conversion.convert_lead(admin, junk.id)
    await services.conversion.convert_lead(admin, reopened.id)
    with pytest.raises(LeadClosed):
        await services.conversion.convert_lead(admin, reopened.id)
    await services.items.move(admin, reopened.id, stages[1].id)
    with pytest.raises(LeadAlreadyConverted):
        await services.conversion.convert_lead(admin, reopened.id)
    assert len(await deals(services, admin)) == 2  # the deal above and one conversion


@pytest.mark.parametrize(("create", "contacts", "companies"),
                         [("contact", 3, 0), ("company", 0, 3), ("both", 3, 3)])
async def test_switch_converts_every_open_lead_with_the_chosen_clients(
    services: CrmServices, admin: Staff, create: str, contacts: int, companies: int
) -> None:
    leads = await classic_leads(services, admin, 3, **LEAD_DATA)
    closed = await services.items.create(admin, NewItem("lead", "Junk"))
    await services.items.move(admin, closed.id, 5)  # the shipped 'junk' stage
    preview = await services.conversion.preview(admin)
    assert preview.open_leads == 3 and preview.pending is None
    switched = await services.mode.switch_to_simple(admin, ConversionOptions(create))
    assert switched.conversion is not None
    counts = switched.conversion.counts
    assert (counts.leads_converted, counts.deals_created) == (3, 3)
    assert (counts.contacts_created, counts.companies_created) == (contacts, companies)
    for lead in leads:
        assert await stage_code(services, admin, lead.id) == "converted"
    assert await stage_code(services, admin, closed.id) == "junk"
    assert [d.title for d in await deals(services, admin)] == ["Lead 0", "Lead 1", "Lead 2"]


async def test_switch_puts_deals_into_the_chosen_pipeline(
    services: CrmServices, admin: Staff
) -> None:
    await classic_leads(services, admin, 2)
    wholesale = await services.catalog.add_pipeline(admin, "deal", "Wholesale")
    _, stages = await services.catalog.pipeline(wholesale.id)
    preview = await services.conversion.preview(admin)
    assert [p.id for p in preview.pipelines] == [2, wholesale.id]  # the default one first
    await services.mode.switch_to_simple(admin, ConversionOptions(pipeline_id=wholesale.id))
    assert {(d.pipeline_id, d.stage_id) for d in await deals(services, admin)} == {
        (wholesale.id, stages[0].id)}


@pytest.mark.parametrize("keep_open", [True, False])
async def test_switch_moves_or_closes_open_activities(
    services: CrmServices, admin: Staff, keep_open: bool
) -> None:
    leads = await classic_leads(services, admin, 2)
    for lead in leads:
        await services.activities.add(admin, lead.id, "call", f"Call back {lead.title}")
    done = await services.activities.add(admin, leads[0].id, "task", "Already done")
    await services.activities.mark_done(admin, done.id)
    switched = await services.mode.switch_to_simple(
        admin, ConversionOptions(keep_activities_open=keep_open))
    assert switched.conversion is not None
    counts = switched.conversion.counts
    assert (counts.activities_moved, counts.activities_closed) == ((2, 0) if keep_open else (0, 2))
    for lead, deal in zip(leads, await deals(services, admin), strict=True):
        on_deal = await services.activities.open_for_item(admin, deal.id)
        assert [a.subject for a in on_deal] == ([f"Call back {lead.title}"] if keep_open else [])
        assert await services.activities.open_for_item(admin, lead.id) == []
    assert [a.subject for a in await services.activities.mine(admin)] == (
        ["Call back Lead 0", "Call back Lead 1"] if keep_open else [])


async def test_converted_deals_enter_their_first_stage_so_its_rules_run(
    services: CrmServices, admin: Staff
) -> None:
    leads = await classic_leads(services, admin, 2)
    seen: list[ItemEnteredStage] = []

    async def record(event: ItemEnteredStage, uow: object) -> None:
        seen.append(event)

    services.bus.subscribe(ItemEnteredStage, record)
    await services.mode.switch_to_simple(admin)
    new_deals = await deals(services, admin)
    entered = [(e.item_id, e.type_code, e.from_stage_id, e.to_stage_id) for e in seen]
    assert [e for e in entered if e[1] == "deal"] == [(d.id, "deal", None, 6) for d in new_deals]
    assert [e for e in entered if e[1] == "lead"] == [(lead.id, "lead", 1, 4) for lead in leads]


async def test_a_reopened_converted_lead_is_closed_again_without_a_second_deal(
    services: CrmServices, admin: Staff
) -> None:
    first, _ = await classic_leads(services, admin, 2)
    await services.activities.add(admin, first.id, "call", "Later call")
    converted = await services.conversion.convert_lead(admin, first.id)
    await services.items.move(admin, first.id, 2)  # back to 'in process'
    await services.activities.add(admin, first.id, "meeting", "Meet again")
    switched = await services.mode.switch_to_simple(admin)
    assert switched.conversion is not None
    counts = switched.conversion.counts
    assert (counts.leads_converted, counts.leads_already_converted) == (1, 1)
    assert counts.deals_created == 1 and counts.activities_moved == 1
    assert await stage_code(services, admin, first.id) == "converted"
    open_on_deal = await services.activities.open_for_item(admin, converted.deal_id)
    assert {a.subject for a in open_on_deal} == {"Later call", "Meet again"}
    assert len(await deals(services, admin)) == 2
