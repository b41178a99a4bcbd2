"""Data rules as staff see them in Telegram: a field change and an added product show on the
card (and make older cards stale), a copy says whose copy it is, /schedules stops one."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import CrmBot
from crm.clock import FrozenClock
from rules.model import Execution
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule
from tests.journeys.steps import admin, all_items, press, say


async def test_a_field_change_and_an_added_product_show_on_the_card(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "preparing_documents", "change_field",
                   {"field": "title", "value": "{{ item.title }} (signed)"}, title="Signed")
    await add_rule(crm, ADMIN_ID, "preparing_documents", "add_product",
                   {"name": "Hosting", "price": "49,90", "quantity": "12"}, title="Hosting",
                   execution=Execution.AFTER_PREVIOUS)
    await say(tg, ada, "/new deal Relaunch; 15.000 EUR")
    deal = (await all_items(crm))[-1]
    card = await say(tg, ada, f"/item {deal.id}")
    assert "Amount: €15,000.00" in card.rendered

    await press(tg, ada, card, "Preparing documents ▶")  # edited in place
    # the card after the move shows the item as the stage's rules due at once left it
    shown = card.rendered
    assert f"Deal #{deal.id} · Relaunch (signed)" in shown
    assert "• Hosting × 12 = €598.80" in shown
    assert "Amount: €598.80" in shown  # the amount follows the products
    assert "▶️ Preparing documents" in shown
    assert "⚙️ 2 rules here, 2 done — /status" in shown
    # its buttons carry the version the rules left: the next press moves
    toast = await press(tg, ada, card, "Prepayment invoice ▶")
    assert toast.text == "Moved to Prepayment invoice"


async def test_a_copy_names_its_origin_and_schedules_are_stopped_from_the_list(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    deals = (await crm.services.catalog.pipelines("deal"))[0].id
    await add_rule(crm, ADMIN_ID, "won", "copy_item",
                   {"pipeline_id": deals, "repeat": "months"}, title="Monthly")
    await say(tg, ada, "/new deal Maintenance; 400 EUR")
    origin = (await all_items(crm))[-1]
    await say(tg, ada, f"/move {origin.id} won")
    await crm.automation.tick()

    listed = await say(tg, ada, "/schedules")
    assert f"1. #{origin.id} Maintenance → General / New, every month; next " \
           "12/23/26, 10:00\u202fAM, 0 made" in listed.rendered
    clock.set(datetime(2026, 12, 23, 9, 0, tzinfo=UTC))
    await crm.automation.tick()
    copy = (await all_items(crm))[-1]
    card = await say(tg, ada, f"/item {copy.id}")
    assert f"Copy of #{origin.id} (/item {origin.id})" in card.rendered
    assert "▶️ New" in card.rendered

    toast = await press(tg, ada, listed, "⏹ Stop 1")
    assert toast.text == "Stopped."
    after = listed.rendered
    assert after.startswith(f"⏹ Recurring copy 1 of #{origin.id} stopped; no more copies "
                            "follow.")
    assert "No recurring copies are running." in after
    assert (await say(tg, ada, "/schedules")).rendered.startswith("No recurring copies")
