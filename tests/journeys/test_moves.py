"""Moving items: the card's buttons, /move, double presses, stale and forged buttons."""

from __future__ import annotations

from functools import partial

from bot.app import CrmBot
from bot.items.callbacks import CardAction, CardCb
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import ApiCall, FakeTelegram, SentMessage
from tests.journeys.steps import admin, all_items, member, press, say, seed

WON, LOST = 11, 12  # stages of the shipped deal pipeline


async def stage_codes(crm: CrmBot, item_id: int) -> list[str | None]:
    """The stage codes the item went through, from its stored history."""
    card = await crm.services.cards.card(None, item_id, with_history=True)
    codes = {stage.id: stage.code for stage in card.stages}
    return [codes[h.to_stage_id] for h in card.history]


def move_data(message: SentMessage, button: str) -> str:
    data = message.find_button(button)[1]
    assert data is not None
    return data


async def test_stage_buttons_edit_the_card_in_place_with_a_toast(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    card = await say(tg, ada, "/new deal Website relaunch; 15000")
    assert "◀" not in " ".join(card.button_texts)
    toast = await press(tg, ada, card, "Preparing documents ▶")
    assert toast.text == "Moved to Preparing documents" and not toast.show_alert
    assert "▶️ Preparing documents" in card.rendered and "✔︎ New" in card.rendered
    assert "Moved to “Preparing documents”." in card.rendered
    assert len(card.edits) == 1 and len(tg.messages_to(ada.id)) == 2  # no new message
    await press(tg, ada, card, "◀ New")
    assert "▶️ New" in card.rendered
    assert await stage_codes(crm, 1) == ["new", "preparing_documents", "new"]


async def test_success_and_failure_close_and_moving_back_reopens(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    card = await say(tg, ada, "/new deal Big one")
    await press(tg, ada, card, "Choose stage")
    assert "🏆 Won" in card.button_texts and "« Back" in card.button_texts
    toast = await press(tg, ada, card, "🏆 Won")
    assert toast.text == "Moved to Won"
    assert "This item is closed." in card.rendered
    assert (await all_items(crm))[0].closed
    await press(tg, ada, card, "Choose stage")
    await press(tg, ada, card, "In progress")
    await press(tg, ada, card, "↩️ Yes, reopen")  # a won item is reopened when confirmed
    assert "This item is closed." not in card.rendered
    assert not (await all_items(crm))[0].closed
    await press(tg, ada, card, "Choose stage")
    await press(tg, ada, card, "✖️ Lost")
    await press(tg, ada, card, "Price")  # lost with a reason (test_closing.py)
    assert (await all_items(crm))[0].closed
    assert await stage_codes(crm, 1) == ["new", "won", "in_progress", "lost"]


async def test_move_command_by_name_in_either_language_and_by_number(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await seed(crm, ADMIN_ID, "deal", "Shop")
    answer = await say(tg, ada, "/move 1 final invoice")
    assert "Moved to “Final invoice”." in answer.rendered and "▶️ Final invoice" in answer.rendered
    await say(tg, ada, "/move #1 Gewonnen")
    await press(tg, ada, await say(tg, ada, "/move 1 2"), "↩️ Yes, reopen")  # won: confirmed
    assert await stage_codes(crm, 1) == ["new", "final_invoice", "won", "preparing_documents"]
    same = await say(tg, ada, "/move 1 preparing")
    assert same.rendered == "The item is already in that stage; nothing changed."
    assert (await say(tg, ada, "/move 1 heaven")).rendered == "I could not find stage “heaven”."
    assert (await say(tg, ada, "/move 1 9")).rendered == "I could not find stage “9”."
    assert (await say(tg, ada, "/move 7 won")).rendered == "I could not find item “7”."
    for wrong in ("/move", "/move 1", "/move won 1"):
        assert (await say(tg, ada, wrong)).rendered.startswith("Usage: /move <number>"), wrong
    assert len(await stage_codes(crm, 1)) == 4


def answers_query(query_id: str, call: ApiCall) -> bool:
    return bool(call.params["callback_query_id"] == query_id)


async def test_a_double_press_moves_once(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    card = await say(tg, ada, "/new deal Twice")
    data, since = move_data(card, "Preparing documents ▶"), len(tg.calls)
    ids = {ada.press(card, data), ada.press(card, data)}  # the second before the bot saw one
    for query_id in ids:
        await tg.wait_for_call("answerCallbackQuery", since=since,
                               predicate=partial(answers_query, query_id))
    texts = sorted(t.text or "" for t in tg.toasts)
    assert texts == ["Moved to Preparing documents", "Nothing moved: the card was out of date."]
    assert await stage_codes(crm, 1) == ["new", "preparing_documents"]
    toast = await press(tg, ada, card, data=data, strict=False)  # pressed again much later
    assert toast.text == "Nothing moved: the card was out of date."
    assert await stage_codes(crm, 1) == ["new", "preparing_documents"]


async def test_a_stale_card_moves_nothing_and_shows_the_item_as_it_is(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    mia = await member(tg, ada, 2001, Role.MANAGER, name="Mia")
    await seed(crm, ADMIN_ID, "deal", "Shared")
    adas_card = await say(tg, ada, "/item 1")
    mias_card = await say(tg, mia, "/item 1")
    await press(tg, ada, adas_card, "Preparing documents ▶")
    toast = await press(tg, mia, mias_card, "Preparing documents ▶")
    assert toast.text == "Nothing moved: the card was out of date."
    assert "▶️ Preparing documents" in mias_card.rendered  # refreshed to the truth
    await press(tg, mia, mias_card, "Prepayment invoice ▶")  # now it is current
    assert await stage_codes(crm, 1) == ["new", "preparing_documents", "prepayment_invoice"]


async def test_forged_and_foreign_buttons_change_nothing(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await seed(crm, ADMIN_ID, "deal", "Ada's")
    card = await say(tg, ada, "/item 1")
    other_pipeline = CardCb(action=CardAction.MOVE, item_id=1, stage_id=19, version=1).pack()
    toast = await press(tg, ada, card, data=other_pipeline, strict=False)
    assert toast.text == "I could not find stage “19”." and toast.show_alert
    toast = await press(tg, ada, card, data="c:1:1:nonsense", strict=False)
    assert toast.text == "This button is not valid (any more). Nothing was changed."
    toast = await press(tg, ada, card, data="zz:42", strict=False)
    assert toast.text == "This button is not valid (any more). Nothing was changed."
    sams_view = await say(tg, sam, "/items")
    forged = CardCb(action=CardAction.MOVE, item_id=1, stage_id=WON, version=1).pack()
    toast = await press(tg, sam, sams_view, data=forged, strict=False)
    assert toast.text == "Sorry, you may not see or change this item."
    huge = CardCb(action=CardAction.MOVE, item_id=10**30, stage_id=WON, version=1).pack()
    toast = await press(tg, ada, card, data=huge, strict=False)
    assert toast.text is not None and toast.text.startswith("I could not find item")
    carl = tg.user(3001, "Carl")
    toast = await press(tg, carl, card, data=forged, strict=False)
    assert toast.text == "This button is not available to you."
    assert await stage_codes(crm, 1) == ["new"]


async def test_history_shows_who_moved_when_from_where_to_where(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    card = await say(tg, ada, "/new deal Tracked")
    await press(tg, ada, card, "Preparing documents ▶")
    since = len(tg.sent)
    await press(tg, ada, card, "History")
    history = await tg.wait_for_message(ada.id, since=since)
    lines = history.rendered.splitlines()
    assert lines[0] == "History of #1"
    assert lines[1].endswith(": created in “New” by Ada Admin")
    assert lines[2].endswith(": New → Preparing documents by Ada Admin")
    assert "11/23/26" in lines[1]  # the test clock's day, in the user's format
