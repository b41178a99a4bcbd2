"""Closing (issue 12): a lost reason before a move into a failure stage, kept on the item
and in its history, cleared on reopening; a won item's buttons; reopening a won item
confirmed; the ladder marks only stages reached; admins keep each pipeline's reasons."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Item, Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.automation_steps import add_rule
from tests.journeys.steps import admin, all_items, member, press, say

DEAL_PIPELINE = 2


async def the_item(crm: CrmBot) -> Item:
    return (await all_items(crm))[0]


async def stage_code(crm: CrmBot) -> str | None:
    item = await the_item(crm)
    _pipeline, stages = await crm.services.catalog.pipeline(item.pipeline_id)
    return next(s.code for s in stages if s.id == item.stage_id)


async def history(tg: FakeTelegram, user: FakeUser, card: SentMessage,
                  button: str = "History") -> str:
    since = len(tg.sent)
    user.press_button(card, button)
    return (await tg.wait_for_message(user.id, since=since)).rendered


def data_of(message: SentMessage, button: str) -> str:
    data = message.find_button(button)[1]
    assert data is not None
    return data


async def test_lost_with_a_listed_reason_shows_it_and_reopening_clears_it(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    card = await say(tg, ada, "/new deal Big one")
    await press(tg, ada, card, "Choose stage")
    toast = await press(tg, ada, card, "✖️ Lost")
    assert toast.text is None or toast.text == ""
    assert card.rendered == ("Why was #1 “Big one” lost? Choose a reason or type your own; it "
                             "moves to “Lost” once you have answered.")
    assert card.button_texts == ["Price", "Competitor", "No budget", "No response", "Timing",
                                 "Other", "✍️ Type a reason", "✖️ Cancel"]
    assert await stage_code(crm) == "new"  # nothing moves before the answer
    toast = await press(tg, ada, card, "Competitor")
    assert toast.text == "Moved to Lost"
    assert "Lost reason: Competitor" in card.rendered and "This item is closed." in card.rendered
    item = await the_item(crm)
    assert item.closed and item.lost_reason == "Competitor"
    assert "⏹ Stop automation" not in card.button_texts  # closed: nothing to stop
    assert "— reason: Competitor" in await history(tg, ada, card)
    # reopening (a lost item needs no confirmation) clears the reason; the history keeps it
    await press(tg, ada, card, "Choose stage")
    await press(tg, ada, card, "In progress")
    assert "Lost reason" not in card.rendered and "⏹ Stop automation" in card.button_texts
    item = await the_item(crm)
    assert not item.closed and item.lost_reason is None
    assert "New → Lost by Ada Admin — reason: Competitor" in await history(tg, ada, card)


async def test_a_typed_reason_bad_input_and_the_one_line_form(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Shop")
    question = await say(tg, ada, "/move 1 lost")
    assert question.rendered.startswith("Why was #1 “Shop” lost?")
    await press(tg, ada, question, "✍️ Type a reason")
    assert question.rendered == ("Why was #1 lost? Type the reason in one message (up to 200 "
                                 "characters), or /cancel.")
    too_long = await say(tg, ada, "x" * 201)
    assert too_long.rendered == "That reason is too long: at most 200 characters, please."
    assert await stage_code(crm) == "new"
    card = await say(tg, ada, "  Went with   their in-house team ")
    assert "Lost reason: Went with their in-house team" in card.rendered
    assert "Moved to “Lost”. Lost reason: Went with their in-house team" in card.rendered
    assert (await the_item(crm)).lost_reason == "Went with their in-house team"
    # the step is over: the next text is no reason
    assert (await say(tg, ada, "/cancel")).rendered == "There is nothing to cancel."
    # reopen, then the one-line form; an empty reason after the semicolon is refused
    await say(tg, ada, "/move 1 new")
    empty = await say(tg, ada, "/move 1 lost;   ")
    assert empty.rendered == "A reason cannot be empty. Type one, or /cancel."
    assert await stage_code(crm) == "new"
    moved = await say(tg, ada, "/move 1 lost; Budget frozen")
    assert "Lost reason: Budget frozen" in moved.rendered
    assert (await the_item(crm)).lost_reason == "Budget frozen"


async def test_stale_questions_and_double_presses_move_nothing(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Shop")
    question = await say(tg, ada, "/move 1 lost")
    older = await say(tg, ada, "/move 1 lost")
    price = data_of(question, "Price")
    toast = await press(tg, ada, question, "Price")
    assert toast.text == "Moved to Lost"
    again = await press(tg, ada, question, data=price, strict=False)
    assert again.text == "Nothing moved: the card was out of date."
    stale = await press(tg, ada, older, "Timing")
    assert stale.text == "Nothing moved: the card was out of date."
    assert "Lost reason: Price" in older.rendered  # the item as it is now
    assert (await the_item(crm)).lost_reason == "Price"
    card = await crm.services.cards.card(None, 1, with_history=True)
    assert [h.lost_reason for h in card.history] == [None, "Price"]  # moved once
    # a reason forged for another pipeline's list is refused
    await say(tg, ada, "/move 1 new")
    fresh = await say(tg, ada, "/move 1 lost")
    data = data_of(fresh, "Price")
    lead_reason = (await crm.services.closing.offered(1))[0].id
    forged = data.rsplit(":", 1)[0] + f":{lead_reason}"
    refused = await press(tg, ada, fresh, data=forged, strict=False)
    assert refused.text == "That reason is no longer on the list. Open the card again."
    assert await stage_code(crm) == "new"


async def test_a_won_card_and_reopening_it_confirmed_or_cancelled(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Relaunch")
    card = await say(tg, ada, "/move 1 won")
    assert "◀ Final invoice" in card.button_texts
    assert not any("Lost" in text for text in card.button_texts)  # no "Lost ▶" next step
    assert "⏹ Stop automation" not in card.button_texts
    await press(tg, ada, card, "◀ Final invoice")
    assert card.rendered == "#1 “Relaunch” is won. Reopen it and move it back to “Final invoice”?"
    assert card.button_texts == ["↩️ Yes, reopen", "✖️ Cancel"]
    assert await stage_code(crm) == "won"
    await press(tg, ada, card, "✖️ Cancel")
    assert "▶️ 🏆 Won" in card.rendered and await stage_code(crm) == "won"
    await press(tg, ada, card, "◀ Final invoice")
    question = data_of(card, "↩️ Yes, reopen")
    toast = await press(tg, ada, card, "↩️ Yes, reopen")
    assert toast.text == "Moved to Final invoice"
    assert "▶️ Final invoice" in card.rendered and not (await the_item(crm)).closed
    # the confirmation pressed again (a double press) moves nothing
    again = await press(tg, ada, card, data=question, strict=False)
    assert again.text == "Nothing moved: the card was out of date."
    # losing a won item asks for the reason, not for a confirmation
    await say(tg, ada, "/move 1 won")
    lost = await say(tg, ada, "/move 1 lost")
    assert lost.rendered.startswith("Why was #1 “Relaunch” lost?")


async def test_rules_see_the_reason_and_automation_records_none(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "lost", "notify_responsible",
                   {"text": "Lost {{ item.title }}: {{ item.lost_reason }}"}, title="Why")
    await say(tg, ada, "/new deal Shop")
    since = len(tg.sent)
    ada.send("/move 1 lost; Too slow")  # the rule's message may come before the card
    told = await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered.startswith("Lost Shop"),
                                     since=since)
    await tg.wait_for_message(ADMIN_ID, lambda m: "Moved to" in m.rendered, since=since)
    assert "Lost Shop: Too slow" in told.rendered
    await say(tg, ada, "/move 1 new")
    await crm.services.items.move(None, 1, 12)  # as a rule or trigger moves it
    item = await the_item(crm)
    assert item.closed and item.lost_reason is None
    card = await say(tg, ada, "/item 1")
    assert "Lost reason" not in card.rendered


async def test_the_ladder_marks_only_stages_reached(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Shop")
    card = await say(tg, ada, "/move 1 final invoice")
    assert "✔︎ New\n▫️ Preparing documents\n▫️ Prepayment invoice\n▫️ In progress\n" \
           "▶️ Final invoice" in card.rendered
    await press(tg, ada, card, "◀ In progress")
    assert "✔︎ New\n▫️ Preparing documents\n▫️ Prepayment invoice\n▶️ In progress" \
           in card.rendered
    card = await say(tg, ada, "/move 1 won")
    assert "✔︎ New\n▫️ Preparing documents\n▫️ Prepayment invoice\n✔︎ In progress\n" \
           "✔︎ Final invoice\n▶️ 🏆 Won" in card.rendered
    assert (await the_item(crm)).stages_reached == {6, 9, 10, 11}


async def test_admins_keep_a_pipelines_reasons(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    listing = await say(tg, ada, "/lostreasons 2")
    assert listing.rendered.startswith("Lost reasons of “General” (#2)\n• Price\n• Competitor")
    added = await say(tg, ada, "/lostreasons 2 add Too far away")
    assert "• Other\n• Too far away" in added.rendered
    toast = await press(tg, ada, added, "✖️ Price")
    assert toast.text == "Removed “Price”."
    assert "• Price" not in added.rendered
    assert [r.name for r in await crm.services.closing.offered(DEAL_PIPELINE)] == [
        "Competitor", "No budget", "No response", "Timing", "Other", "Too far away"]
    await say(tg, ada, "/new deal Shop")
    question = await say(tg, ada, "/move 1 lost")
    assert "Too far away" in question.button_texts and "Price" not in question.button_texts
    # bad input changes nothing
    assert (await say(tg, ada, "/lostreasons 2 add competitor")).rendered == (
        "That reason is on the list already.")
    assert (await say(tg, ada, "/lostreasons 2 add " + "y" * 41)).rendered == (
        "That reason is too long: at most 40 characters, please.")
    assert (await say(tg, ada, "/lostreasons")).rendered.startswith("Usage: /lostreasons")
    assert (await say(tg, ada, "/lostreasons two")).rendered.startswith("Usage:")
    assert "99" in (await say(tg, ada, "/lostreasons 99")).rendered
    sam = await member(tg, ada, 2001, Role.SALES)
    denied = await say(tg, sam, "/lostreasons 2 add Weather")
    assert denied.rendered == ("Sorry, only an admin or someone allowed to edit settings may "
                               "do that.")
    assert len(await crm.services.closing.offered(DEAL_PIPELINE)) == 6
    # a new pipeline starts with the shipped reasons
    await say(tg, ada, "/pipelines add deal Export")
    assert [r.name for r in await crm.services.closing.offered(5)] == [
        "Price", "Competitor", "No budget", "No response", "Timing", "Other"]


async def test_closing_in_german(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/new deal Umbau")
    question = await say(tg, ada, "/move 1 verloren")
    assert question.rendered == ("Warum ging #1 „Umbau“ verloren? Wählen Sie einen Grund oder "
                                 "schreiben Sie Ihren eigenen – sobald Sie geantwortet haben, wird "
                                 "es nach „Verloren“ verschoben.")
    assert question.button_texts == ["Preis", "Wettbewerber", "Kein Budget",
                                     "Keine Rückmeldung", "Falscher Zeitpunkt", "Sonstiges",
                                     "✍️ Grund eintippen", "✖️ Abbrechen"]
    toast = await press(tg, ada, question, "Kein Budget")
    assert toast.text == "Verschoben nach Verloren"
    assert "Verlustgrund: Kein Budget" in question.rendered
    assert (await the_item(crm)).lost_reason == "No budget"  # stored once, shown translated
    assert "– Grund: Kein Budget" in await history(tg, ada, question, "Verlauf")
    # reopen, lose with a typed reason
    await say(tg, ada, "/move 1 neu")
    again = await say(tg, ada, "/move 1 verloren")
    await press(tg, ada, again, "✍️ Grund eintippen")
    assert again.rendered.startswith("Warum ging #1 verloren? Schreiben Sie den Grund")
    card = await say(tg, ada, "Kunde hat sich anders entschieden")
    assert "Verlustgrund: Kunde hat sich anders entschieden" in card.rendered
    # a won item: no "Verloren ▶", reopening confirmed
    won = await say(tg, ada, "/move 1 gewonnen")
    assert not any("Verloren" in t for t in won.button_texts)
    assert "⏹ Automatisierung stoppen" not in won.button_texts
    await press(tg, ada, won, "◀ Schlussrechnung")
    assert won.rendered == ("#1 „Umbau“ ist gewonnen. Wieder öffnen und zurück nach "
                            "„Schlussrechnung“ verschieben?")
    await press(tg, ada, won, "↩️ Ja, wieder öffnen")
    assert "▶️ Schlussrechnung" in won.rendered
    # the admin's list
    listing = await say(tg, ada, "/lostreasons 2 add Zu weit weg")
    assert listing.rendered.startswith("Verlustgründe von „Allgemein“ (#2)\n• Preis")
    assert "• Zu weit weg" in listing.rendered
    assert (await say(tg, ada, "/lostreasons 2 add preis")).rendered == (
        "Diesen Grund gibt es schon auf der Liste.")
