"""/pipelines, /stages and /types: the admin shapes the processes; items follow."""

from __future__ import annotations

import re

from bot.app import CrmBot
from crm.models import Role, StageKind
from tests.fake_telegram import FakeTelegram, SentMessage
from tests.journeys.steps import admin, all_items, member, press, say


async def stage_list(crm: CrmBot, pipeline_id: int) -> list[tuple[str, StageKind]]:
    _pipeline, stages = await crm.services.catalog.pipeline(pipeline_id)
    return [(s.name_en, s.kind) for s in stages]


def row_of(message: SentMessage, stage: str) -> list[str]:
    """The callback data of the ↑, ↓ and kind buttons of a stage's row."""
    row = next(r for r in message.buttons if r[0][0] == f"↑ {stage}")
    return [data or "" for _text, data in row]


async def test_pipelines_lists_and_adds(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    listing = await say(tg, ada, "/pipelines")
    assert "Deal · General (#2): New → Preparing documents → Prepayment invoice" in listing.rendered
    assert "🏆 Won → ✖️ Lost" in listing.rendered and "Invoice · General (#4)" in listing.rendered
    only_quotes = await say(tg, ada, "/pipelines quote")
    assert "Quote · General (#3)" in only_quotes.rendered and "Deal" not in only_quotes.rendered
    added = await say(tg, ada, "/pipelines add deal Export")
    assert added.rendered == ("Pipeline “Export” (#5) added with default stages. "
                              "Edit them with /stages 5.")
    assert await stage_list(crm, 5) == [("New", StageKind.PROGRESS),
                                        ("In progress", StageKind.PROGRESS),
                                        ("Done", StageKind.SUCCESS),
                                        ("Cancelled", StageKind.FAILURE)]
    assert (await say(tg, ada, "/pipelines add deal export")).rendered == (
        "“export” already exists.")
    assert (await say(tg, ada, "/pipelines add rocket Moon")).rendered == (
        "I could not find item type “rocket”.")
    assert (await say(tg, ada, "/pipelines add deal")).rendered.startswith(
        "Usage: /pipelines add <type> <name>")
    assert (await say(tg, ada, "/pipelines rocket")).rendered == (
        "I could not find item type “rocket”.")


async def test_stages_are_added_renamed_reordered_and_given_a_kind(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/pipelines add deal Export")
    shown = await say(tg, ada, "/stages 5")
    assert shown.rendered.splitlines()[:2] == ["Stages of “Export” (#5)",
                                               "1. New — in progress (#22)"]
    await say(tg, ada, "/stages add 5 Shipped")
    await say(tg, ada, "/stages add 5 Returned failure")
    renamed = await say(tg, ada, "/stages rename 23 Packing")
    assert "2. Packing — in progress (#23)" in renamed.rendered
    assert await stage_list(crm, 5) == [
        ("New", StageKind.PROGRESS), ("Packing", StageKind.PROGRESS),
        ("Done", StageKind.SUCCESS), ("Cancelled", StageKind.FAILURE),
        ("Shipped", StageKind.PROGRESS), ("Returned", StageKind.FAILURE)]

    assert (await press(tg, ada, renamed, "↑ Shipped")).text == "Saved."
    assert (await press(tg, ada, renamed, "↑ Shipped")).text == "Saved."
    assert "3. Shipped — in progress (#26)" in renamed.rendered  # the list, edited in place
    toast = await press(tg, ada, renamed, data=row_of(renamed, "New")[2])  # → success
    assert toast.text == "The first stage of a pipeline must be an in-progress stage."
    toast = await press(tg, ada, renamed, data=row_of(renamed, "Returned")[1])  # ↓ the last
    assert toast.text == "That stage cannot move any further that way."
    toast = await press(tg, ada, renamed, data=row_of(renamed, "Returned")[2])  # → in progress
    assert "6. Returned — in progress (#27)" in renamed.rendered
    assert await stage_list(crm, 5) == [
        ("New", StageKind.PROGRESS), ("Packing", StageKind.PROGRESS),
        ("Shipped", StageKind.PROGRESS), ("Done", StageKind.SUCCESS),
        ("Cancelled", StageKind.FAILURE), ("Returned", StageKind.PROGRESS)]


async def test_wrong_stage_calls(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    for wrong in ("/stages", "/stages add", "/stages rename 6", "/stages deal"):
        assert (await say(tg, ada, wrong)).rendered.startswith("Usage: /stages <pipeline>"), wrong
    assert (await say(tg, ada, "/stages 99")).rendered == "I could not find pipeline “99”."
    assert (await say(tg, ada, "/stages rename 999 X")).rendered == (
        "I could not find stage “999”.")
    assert (await say(tg, ada, "/stages add 2 " + "x" * 61)).rendered.startswith(
        "The name “xxxx")


async def test_a_smart_process_of_ones_own_then_items_of_it(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    created = await say(tg, ada, "/types add Delivery; Ordered, Shipped, Delivered:success, "
                                 "Returned:failure")
    assert created.rendered == ("Smart process “Delivery” created. Create items with "
                                "/new delivery <title>.")
    listing = await say(tg, ada, "/types")
    assert "• Delivery (delivery)" in listing.rendered
    card = await say(tg, ada, "/new delivery Parcel to Hamburg; 20 EUR")
    assert "Delivery #1 · Parcel to Hamburg" in card.rendered and "▶️ Ordered" in card.rendered
    assert "🏆 Delivered" in card.rendered
    question = await say(tg, ada, "/new")
    assert "Delivery" in question.button_texts
    await press(tg, ada, card, "Shipped ▶")
    [item] = await all_items(crm)
    assert item.type_code == "delivery"
    stages = (await crm.services.cards.card(None, item.id)).stages
    assert re.fullmatch("Shipped", next(s.name_en for s in stages if s.id == item.stage_id))
    assert (await say(tg, ada, "/types add Delivery; A")).rendered == "“Delivery” already exists."
    assert (await say(tg, ada, "/types add Broken; A:winning")).rendered == (
        "The stage kind “winning” is not valid.")


async def test_sales_may_not_shape_processes(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    refusal = "Sorry, only an admin or someone allowed to edit settings may do that."
    for command in ("/pipelines", "/pipelines add deal X", "/stages 2", "/stages add 2 X",
                    "/types", "/types add Hack; a, b"):
        assert (await say(tg, sam, command)).rendered == refusal, command
    assert [t.code for t in await crm.services.catalog.types(include_hidden=True)] == [
        "lead", "deal", "quote", "invoice"]
    assert len(await crm.services.catalog.pipelines("deal")) == 1
