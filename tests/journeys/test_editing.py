"""Editing an item by hand: fields and the responsible person."""

from __future__ import annotations

from decimal import Decimal

from bot.app import CrmBot
from crm.models import Role
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, all_items, member, say


async def test_fields_are_edited_with_the_same_checks_as_everywhere(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Carl Client: Hallo, ich brauche; 100 EUR")
    card = await say(tg, ada, "/edit 1 title Website relaunch")
    assert card.rendered.startswith("Deal #1 · Website relaunch") and "Saved." in card.rendered
    card = await say(tg, ada, "/edit 1 betrag 18.000,50 USD")
    assert "Amount: $18,000.50" in card.rendered
    card = await say(tg, ada, "/edit 1 custom.region Nord")
    [deal] = await all_items(crm)
    assert (deal.title, deal.amount, deal.currency, deal.custom) == (
        "Website relaunch", Decimal("18000.50"), "USD", {"region": "Nord"})

    wrong = await say(tg, ada, "/edit 1 amount lots")
    assert "“lots” is not an amount I understand" in wrong.rendered or \
        "is not valid" in wrong.rendered
    assert "not a field I know" in (await say(tg, ada, "/edit 1 colour red")).rendered
    assert (await say(tg, ada, "/edit 1")).rendered.startswith("Usage: /edit")
    [unchanged] = await all_items(crm)
    assert unchanged.amount == Decimal("18000.50")


async def test_assigning_hands_an_item_to_someone_who_then_sees_it(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES, name="Sam")
    await say(tg, ada, "/new deal Export; 900 EUR")
    assert "may not see or change" in (await say(tg, sam, "/item 1")).rendered
    since = len(tg.sent)
    moved = await say(tg, ada, "/assign 1 Sam")
    assert "Sam Seller is now responsible." in moved.rendered
    told = await tg.wait_for_message(sam.id, since=since)  # through the outbox
    assert told.rendered == "📌 Ada Admin made you responsible for #1 Export."
    assert "Responsible: Sam Seller" in (await say(tg, sam, "/item 1")).rendered
    back = await say(tg, sam, "/assign 1 @nobody")
    assert "could not find" in back.rendered
    handed_on = await say(tg, sam, "/assign 1 Ada")
    assert handed_on.rendered == "Ada Admin is now responsible."  # and no card: not Sam's
    assert "may not see or change" in (await say(tg, sam, "/edit 1 title Mine")).rendered
