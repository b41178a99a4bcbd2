"""/new in one line: `/new deal Website relaunch; 15.000 EUR; Anna Schmidt`, and bad amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.app import CrmBot
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, all_items, say


async def test_one_line_creates_the_deal_with_amount_and_contact(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    card = await say(tg, ada, "/new deal Website relaunch; 15.000 EUR; Anna Schmidt")
    assert "Deal #1 · Website relaunch" in card.rendered
    assert "Amount: €15,000.00" in card.rendered
    assert "Contact: Anna Schmidt" in card.rendered
    assert "▶️ New" in card.rendered and "Created." in card.rendered
    [item] = await all_items(crm)
    assert (item.type_code, item.title, item.amount, item.currency) == (
        "deal", "Website relaunch", Decimal("15000"), "EUR")
    assert item.responsible_id == ada.id
    again = await say(tg, ada, "/new invoice Hosting; 120; anna schmidt")
    assert "Invoice #2 · Hosting" in again.rendered
    items = await all_items(crm)
    assert items[1].contact_id == items[0].contact_id  # the same contact, not a second one


@pytest.mark.parametrize(("typed", "amount", "currency"), [
    ("15000", Decimal("15000"), "EUR"),
    ("15.000,50", Decimal("15000.50"), "EUR"),
    ("15,000.50 USD", Decimal("15000.50"), "USD"),
    ("€99", Decimal("99"), "EUR"),
    ("$ 1,5", Decimal("1.5"), "USD"),
])
async def test_amounts_are_read_as_salespeople_type_them(
        tg: FakeTelegram, crm: CrmBot, typed: str, amount: Decimal, currency: str) -> None:
    ada = await admin(tg)
    await say(tg, ada, f"/new quote Offer; {typed}")
    [item] = await all_items(crm)
    assert (item.amount, item.currency) == (amount, currency)


@pytest.mark.parametrize("typed", ["lots", "15.000.5", "12 EUR USD", "-5", "1.234,5,6", "0.001"])
async def test_nonsense_amounts_are_refused_and_nothing_is_created(
        tg: FakeTelegram, crm: CrmBot, typed: str) -> None:
    ada = await admin(tg)
    answer = await say(tg, ada, f"/new deal Website; {typed}; Anna")
    assert f"“{typed}” is not an amount I understand" in answer.rendered
    assert "15.000,50" in answer.rendered  # with examples of what works
    assert await all_items(crm) == []
    assert (await crm.services.clients.find(
        await crm.services.staff.identify(ada.id), "Anna"))[0] == []


async def test_wrong_calls_get_the_usage(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    for wrong in ("/new spaceship Apollo", "/new deal", "/new deal ; 100"):
        answer = await say(tg, ada, wrong)
        assert answer.rendered.startswith("Usage: /new <type> <title>; <amount>; <contact>"), wrong
    leads = await say(tg, ada, "/new lead Trade fair")
    assert "Leads are switched off" in leads.rendered
    assert await all_items(crm) == []


async def test_help_documents_the_one_line_form(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    answer = await say(tg, ada, "/help")
    assert "/new <type> <title>; <amount>; <contact>" in answer.rendered
    assert "e.g. /new deal Website relaunch; 15.000 EUR; Anna Schmidt" in answer.rendered
