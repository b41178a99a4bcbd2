"""Converting one lead by hand: /convert and the card's button; new or existing clients, the
deal pipeline, the lead's open activities kept or closed; the new deal's card."""

from __future__ import annotations

import pytest

from bot.app import CrmBot
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.mode_steps import ADMIN, classic_with_leads, items_of, stage_code
from tests.journeys.steps import admin, member, press, press_for_message, say


@pytest.mark.parametrize(("choice", "keep_open", "contact", "company"), [
    ("New contact", True, "Client 0", None),
    ("New company", False, None, "Firm 0"),
    ("New contact and company", True, "Client 0", "Firm 0"),
])
async def test_convert_creates_the_chosen_clients_and_settles_the_activities(
        tg: FakeTelegram, crm: CrmBot, choice: str, keep_open: bool, contact: str | None,
        company: str | None) -> None:
    ada = await admin(tg)
    lead = (await classic_with_leads(crm, 1))[0]
    await crm.services.activities.add(ADMIN, lead.id, "call", "Call back")
    question = await say(tg, ada, f"/convert {lead.id}")
    assert question.rendered.startswith(f"Convert lead #{lead.id} “Lead 0” into a deal.")
    await press(tg, ada, question, choice)
    assert "The lead has 1 open activity" in question.rendered
    await press(tg, ada, question, "Keep them open on the deal" if keep_open else "Close them")
    deal = (await items_of(crm, "deal"))[0]
    assert question.rendered.startswith(f"Deal #{deal.id} · Lead 0")  # the deal's card
    assert f"Converted from lead #{lead.id}; the lead is closed as converted." in question.rendered
    assert (f"Contact: {contact}" in question.rendered) is (contact is not None)
    assert (f"Company: {company}" in question.rendered) is (company is not None)
    assert await stage_code(crm, lead.id) == "converted"
    on_deal = await crm.services.activities.open_for_item(ADMIN, deal.id)
    assert [a.subject for a in on_deal] == (["Call back"] if keep_open else [])
    assert await crm.services.activities.open_for_item(ADMIN, lead.id) == []


async def test_convert_from_the_card_links_an_existing_contact_or_company(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/contact Anna Schmidt; ; ; ACME GmbH")
    first, second = await classic_with_leads(crm, 2)
    card = await say(tg, ada, f"/item {first.id}")
    question = await press_for_message(tg, ada, card, "🔀 Convert to deal")
    await press(tg, ada, question, "Link an existing contact or company …")
    assert question.rendered.startswith("Type (part of) the name")
    nothing = await say(tg, ada, "Zebra")
    assert nothing.rendered == "Nothing found. Try another name, or /cancel."
    found = await say(tg, ada, "Anna")
    await press(tg, ada, found, "👤 Anna Schmidt")
    assert "Contact: Anna Schmidt" in found.rendered and "Company: ACME GmbH" in found.rendered

    question = await say(tg, ada, f"/convert {second.id}")
    await press(tg, ada, question, "Link an existing contact or company …")
    found = await say(tg, ada, "acme")
    await press(tg, ada, found, "🏢 ACME GmbH")
    assert "Company: ACME GmbH" in found.rendered and "Contact:" not in found.rendered
    deals = await items_of(crm, "deal")
    assert len(deals) == 2 and len({d.company_id for d in deals}) == 1
    async with crm.services.uow(write=False) as uow:  # nothing new was created
        companies = await uow.conn.execute_fetchall("SELECT name FROM companies")
        contacts = await uow.conn.execute_fetchall("SELECT name FROM contacts")
    assert [c[0] for c in companies] == ["ACME GmbH"]
    assert [c[0] for c in contacts] == ["Anna Schmidt"]


async def test_convert_asks_for_the_pipeline_when_there_are_several(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    lead = (await classic_with_leads(crm, 1))[0]
    await crm.services.catalog.add_pipeline(ADMIN, "deal", "Wholesale")
    question = await say(tg, ada, f"/convert {lead.id}")
    await press(tg, ada, question, "New contact")
    assert question.rendered == "Which deal pipeline should the deal go to?"
    await press(tg, ada, question, "Wholesale")
    assert "Pipeline: Wholesale" in question.rendered


async def test_convert_refuses_what_cannot_be_converted(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    lead, theirs = await classic_with_leads(crm, 2)
    await say(tg, ada, "/new deal Relaunch")
    deal = (await items_of(crm, "deal"))[0]
    assert (await say(tg, ada, f"/convert {deal.id}")).rendered == (
        f"Item #{deal.id} is not a lead; only leads are converted.")
    assert (await say(tg, ada, "/convert")).rendered.startswith("Usage: /convert <lead number>")
    await crm.services.conversion.convert_lead(ADMIN, lead.id)
    assert "is closed already" in (await say(tg, ada, f"/convert {lead.id}")).rendered
    assert (await say(tg, sam, f"/convert {theirs.id}")).rendered == (
        "Sorry, you may not see or change this item.")
    question = await say(tg, ada, f"/convert {theirs.id}")
    assert (await say(tg, ada, "whatever")).rendered.startswith("Please choose with the buttons")
    await press(tg, ada, question, "Cancel")
    assert question.rendered == "Cancelled. The lead is unchanged."
    assert await stage_code(crm, theirs.id) == "new"
    assert len(await items_of(crm, "deal")) == 2
    assert ADMIN_ID in {m.chat_id for m in tg.sent}
