"""/items (pages, filters: mine, type, stage), /find and /item with ids that do not exist."""

from __future__ import annotations

import re

from bot.app import CrmBot
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, SentMessage
from tests.journeys.steps import admin, member, press, say, seed


def listed(message: SentMessage) -> list[int]:
    """The item numbers a list shows, top to bottom."""
    return [int(n) for n in re.findall(r"^#(\d+) ", message.rendered, re.MULTILINE)]


async def test_items_are_paged_with_buttons(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    for n in range(1, 11):
        await seed(crm, ADMIN_ID, "deal", f"Deal {n}")
    page = await say(tg, ada, "/items")
    assert page.rendered.startswith("10 items · 1–8\n")
    assert listed(page) == [10, 9, 8, 7, 6, 5, 4, 3]
    assert "◀" not in page.button_texts
    toast = await press(tg, ada, page, "▶")
    assert toast.text is None
    assert listed(page) == [2, 1]  # the same message, edited
    assert page.rendered.startswith("10 items · 9–10\n")
    assert "▶" not in page.button_texts
    await seed(crm, ADMIN_ID, "deal", "Deal 11")  # pages go by id: a new item moves nothing
    await press(tg, ada, page, "◀")
    assert listed(page) == [10, 9, 8, 7, 6, 5, 4, 3]
    assert page.rendered.startswith("11 items · 2–9\n") and "◀" in page.button_texts
    await press(tg, ada, page, "◀")
    assert listed(page) == [11, 10, 9, 8, 7, 6, 5, 4]
    assert page.rendered.startswith("11 items · 1–8\n") and "◀" not in page.button_texts
    since = len(tg.sent)
    ada.press_button(page, "#4 Deal 4")
    card = await tg.wait_for_message(ada.id, since=since)
    assert "Deal #4 · Deal 4" in card.rendered


async def test_filters_by_mine_type_and_stage(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await seed(crm, ADMIN_ID, "deal", "Ada's deal")                 # 1: not Sam's
    await seed(crm, 2001, "deal", "Sam's deal")                      # 2
    await seed(crm, 2001, "quote", "Sam's quote")                    # 3
    unassigned = await seed(crm, None, "deal", "Nobody's deal")
    await crm.services.items.move(None, unassigned.id, unassigned.stage_id + 5)  # 4 → won
    # closed items (4 is won) are hidden until "With closed" is pressed (issue 12)
    everything = await say(tg, ada, "/items")
    assert listed(everything) == [3, 2, 1]
    await press(tg, ada, everything, "With closed")
    assert listed(everything) == [4, 3, 2, 1]
    assert "✅ With closed" in everything.button_texts
    assert listed(await say(tg, sam, "/items")) == [3, 2]       # sales: own + unassigned
    assert listed(await say(tg, sam, "/items mine")) == [3, 2]
    assert listed(await say(tg, ada, "/items deal")) == [2, 1]
    assert listed(await say(tg, ada, "/items deal won")) == [4]  # a closing stage: shown
    assert listed(await say(tg, sam, "/items mine quote")) == [3]

    page = await say(tg, sam, "/items")
    await press(tg, sam, page, "Mine")
    assert listed(page) == [3, 2]
    await press(tg, sam, page, "Deal")
    assert listed(page) == [2]
    await press(tg, sam, page, "✅ Mine")  # "All" is ticked off
    await press(tg, sam, page, "All")
    await press(tg, sam, page, "With closed")
    assert listed(page) == [4, 2]
    await press(tg, sam, page, "Won")
    assert listed(page) == [4]
    assert "✅ Won" in page.button_texts


async def test_wrong_filters_are_explained(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    wrong = await say(tg, ada, "/items spaceships")
    assert wrong.rendered.startswith("Usage: /items [mine] [type] [stage]")
    no_stage = await say(tg, ada, "/items deal sleeping")
    assert no_stage.rendered == "I could not find stage “sleeping”."
    empty = await say(tg, ada, "/items quote")
    assert "0 items" in empty.rendered and "Create one with /new" in empty.rendered


async def test_find_searches_titles_contacts_companies_phones_and_emails(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/contact Anna Schmidt; +49 30 123456; anna@example.org; ACME GmbH")
    await say(tg, ada, "/new deal Website relaunch; 15000; Anna Schmidt")
    await say(tg, ada, "/new quote Printer paper")
    for text in ("relaunch", "anna schmidt", "30 1234", "ANNA@example", "acme"):
        found = await say(tg, ada, f"/find {text}")
        assert found.rendered.startswith(f"Found 1 for “{text}”"), text
        assert listed(found) == [1], text
    none = await say(tg, ada, "/find nobody")
    assert none.rendered == ("Found 0 for “nobody”\n"
                             "Try another word, or the start of a name or a number.")
    assert (await say(tg, ada, "/find x")).rendered.startswith("Usage: /find <text>")


async def test_find_shows_a_salesperson_only_what_they_may_see(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await seed(crm, ADMIN_ID, "deal", "Secret merger")
    assert (await say(tg, sam, "/find merger")).rendered.startswith("Found 0")
    refused = await say(tg, sam, "/item 1")
    assert refused.rendered == "Sorry, you may not see or change this item."


async def test_item_with_unknown_or_wrong_ids(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await seed(crm, ADMIN_ID, "deal", "Only one")
    assert (await say(tg, ada, "/item 999")).rendered == "I could not find item “999”."
    assert (await say(tg, ada, "/item #999")).rendered == "I could not find item “999”."
    huge = await say(tg, ada, "/item 99999999999999999999999")
    assert huge.rendered.startswith("I could not find item")
    for wrong in ("/item", "/item abc", "/item -1", "/item 1 2"):
        assert (await say(tg, ada, wrong)).rendered.startswith("Usage: /item <number>"), wrong
    card = await say(tg, ada, "/item #1")
    assert "Deal #1 · Only one" in card.rendered
