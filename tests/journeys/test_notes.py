"""Notes on items: a reply to the item's card or /note keeps one (author, time, text); the
card shows the latest and how many, the card's history lists them; an "add a note" rule
writes one as automation. Bad input is answered and keeps nothing."""

from __future__ import annotations

from typing import Any

from bot.app import CrmBot
from bot.common.formatting import moment
from crm.clock import FrozenClock
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage, builders
from tests.fake_telegram.actors import _post
from tests.journeys.automation_steps import add_rule, count_of
from tests.journeys.mode_steps import items_of
from tests.journeys.rules_steps import rules_in, tap
from tests.journeys.steps import admin, all_items, member, press, press_for_message, say

NOTES = "SELECT COUNT(*) FROM timeline WHERE kind = 'note'"
CLIENT_ID = 3001


async def reply(tg: FakeTelegram, user: FakeUser, to: SentMessage, text: str) -> SentMessage:
    """The user replies to one of the bot's messages; returns the bot's answer."""
    since = len(tg.sent)
    user.reply_to(to, text)
    return await tg.wait_for_message(user.id, since=since)


async def reply_with_photo(tg: FakeTelegram, user: FakeUser, to: SentMessage) -> SentMessage:
    since = len(tg.sent)
    stored = tg.state.store_file(b"\xff\xd8 not really a jpeg", "photo.jpg", "image/jpeg",
                                 "photos")
    extra: dict[str, Any] = {"photo": builders.photo_sizes(stored), "caption": "see this",
                             "reply_to_message": tg.state.message_json(to, nested=False)}
    _post(tg.state, user.data, to.chat_id, **extra)
    return await tg.wait_for_message(user.id, since=since)


async def test_a_reply_to_the_card_and_note_keep_notes_the_card_and_its_history_show(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Website relaunch; 15.000 EUR")
    deal = (await all_items(crm))[-1]
    card = await say(tg, ada, f"/item {deal.id}")
    assert "📝" not in card.rendered  # no notes yet: no line

    kept = await reply(tg, ada, card, "Called Anna, she wants a quote by Friday.")
    assert kept.rendered == f"📝 Note kept on #{deal.id}. It shows on the card's history."
    when = moment(clock.now(), "en", "Europe/Berlin")
    await press(tg, ada, card, "🔄 Refresh")
    assert (f"📝 1 note, the latest by Ada Admin {when}: Called Anna, she wants a quote by "
            "Friday.") in card.rendered

    # the card moved (edited in place) is still a card: a reply to it is a note
    await press(tg, ada, card, "Preparing documents ▶")
    assert "Moved to “Preparing documents”." in card.rendered
    kept = await reply(tg, ada, card, "Sent the quote.\nShe will decide next week, "
                                      "after her board meeting on Tuesday afternoon.")
    assert kept.rendered.startswith(f"📝 Note kept on #{deal.id}.")
    kept = await say(tg, ada, f"/note #{deal.id} Budget confirmed: 15k.")
    assert kept.rendered.startswith(f"📝 Note kept on #{deal.id}.")

    opened = await say(tg, ada, f"/item {deal.id}")
    assert f"📝 3 notes, the latest by Ada Admin {when}: Budget confirmed: 15k." in \
        opened.rendered
    history = await press_for_message(tg, ada, opened, "History")
    shown = history.rendered
    assert "Notes (the latest 3):" in shown
    assert f"📝 {when}, Ada Admin:\nCalled Anna, she wants a quote by Friday." in shown
    assert "📝" in shown and "Sent the quote.\nShe will decide next week" in shown
    assert shown.index("Called Anna") < shown.index("Sent the quote") < shown.index("Budget")
    assert "New → Preparing documents by Ada Admin" in shown  # stage changes still there

    # the card a list's open button sends is a card too
    listed = await say(tg, ada, "/items")
    sent_card = await press_for_message(tg, ada, listed, f"#{deal.id} Website relaunch")
    kept = await reply(tg, ada, sent_card, "From the list. " + "A long note. " * 20)
    assert kept.rendered.startswith(f"📝 Note kept on #{deal.id}.")
    opened = await say(tg, ada, f"/item {deal.id}")
    line = next(n for n in opened.rendered.splitlines() if n.startswith("📝"))
    assert line.endswith(": From the list. A long note. A long note. A long note. A lon…")
    # a command sent as a reply to a card is that command, not a note
    command = await reply(tg, ada, opened, f"/item {deal.id}")
    assert command.rendered.startswith(f"Deal #{deal.id} · Website relaunch")
    assert await count_of(crm, NOTES) == 4


async def test_bad_notes_are_answered_and_nothing_is_kept(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await say(tg, ada, "/new deal Ada's own; 1.000 EUR")
    deal = (await all_items(crm))[-1]
    card = await say(tg, ada, f"/item {deal.id}")

    usage = await say(tg, ada, "/note")
    assert usage.rendered.startswith("Usage: /note <number> <text> — add a note to an item")
    assert (await say(tg, ada, f"/note {deal.id}")).rendered == usage.rendered  # no text
    assert (await say(tg, ada, f"/note {deal.id}    ")).rendered == usage.rendered
    unknown = await say(tg, ada, "/note 999 Hello")
    assert unknown.rendered == "I could not find item “999”."
    foreign = await say(tg, sam, f"/note {deal.id} Let me in")
    assert foreign.rendered == "Sorry, you may not see or change this item."

    photo = await reply_with_photo(tg, ada, card)
    assert photo.rendered.startswith("A note is text: reply to the card with the note "
                                     "written out")
    too_long = await reply(tg, ada, card, "x" * 4001)
    assert too_long.rendered == ("That note is too long (4001 characters; at most 4000). "
                                 "Please shorten it or split it into two notes. Nothing was "
                                 "kept.")
    blank = await reply(tg, ada, card, "\u202e\u202e")  # only invisible characters
    assert blank.rendered == "That note is empty. Write the note as text. Nothing was kept."
    assert await count_of(crm, NOTES) == 0
    exactly = await reply(tg, ada, card, "y" * 4000)  # the longest note there may be
    assert exactly.rendered.startswith("📝 Note kept")
    assert await count_of(crm, NOTES) == 1


async def test_a_reply_to_an_inquiry_notification_still_answers_the_client(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    since = len(tg.sent)
    carl.send("Do you ship to Austria?")
    told = await tg.wait_for_message(ADMIN_ID, lambda m: "📩" in m.rendered, since=since)
    deal = (await items_of(crm, "deal"))[0]
    since = len(tg.sent)
    ada.reply_to(told, "Yes, we do.")
    assert (await tg.wait_for_message(CLIENT_ID, since=since)).rendered == "Yes, we do."
    assert await count_of(crm, NOTES) == 0
    card = await press_for_message(tg, ada, told, f"Open #{deal.id}")
    kept = await reply(tg, ada, card, "Client sounds keen.")
    assert kept.rendered.startswith(f"📝 Note kept on #{deal.id}.")
    assert len(tg.messages_to(CLIENT_ID)) == 2  # the acknowledgement and the answer only
    assert await count_of(crm, NOTES) == 1


async def test_german_notes(tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/new deal Relaunch; 2.000 EUR")
    deal = (await all_items(crm))[-1]
    card = await say(tg, ada, f"/item {deal.id}")
    kept = await reply(tg, ada, card, "Angerufen, möchte ein Angebot.")
    assert kept.rendered == (f"📝 Notiz zu #{deal.id} gespeichert. Sie finden sie im Verlauf "
                             "der Karte.")
    when = moment(clock.now(), "de", "Europe/Berlin")
    opened = await say(tg, ada, f"/item {deal.id}")
    assert f"📝 1 Notiz von Ada Admin am {when}: Angerufen, möchte ein Angebot." in \
        opened.rendered
    await say(tg, ada, f"/note {deal.id} Angebot geschickt.")
    opened = await say(tg, ada, f"/item {deal.id}")
    assert f"📝 2 Notizen, die neueste von Ada Admin am {when}: Angebot geschickt." in \
        opened.rendered
    history = await press_for_message(tg, ada, opened, "Verlauf")
    assert "Notizen (die letzten 2):" in history.rendered
    assert f"📝 {when}, Ada Admin:\nAngerufen, möchte ein Angebot." in history.rendered

    usage = await say(tg, ada, f"/note {deal.id}")
    assert usage.rendered.startswith("So geht es: /note <Nummer> <Text> – eine Notiz")
    photo = await reply_with_photo(tg, ada, card)
    assert photo.rendered.startswith("Eine Notiz ist reiner Text: Antworten Sie auf die Karte")
    too_long = await reply(tg, ada, card, "x" * 4001)
    assert too_long.rendered.startswith("Die Notiz ist zu lang (4001 Zeichen; höchstens 4000).")
    assert (await say(tg, ada, "/note 999 Hallo")).rendered == "Ich finde Element „999“ nicht."
    assert await count_of(crm, NOTES) == 2


async def test_a_rule_adds_a_note_on_entering_a_stage(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "add_note",
                   {"text": "Won {{ item.title }} for {{ item.amount|money }} <3"},
                   title="Note the win")
    await say(tg, ada, "/new deal Tom & Jerry's shop; 1.500 EUR")
    deal = (await all_items(crm))[-1]

    since = len(tg.sent)
    ada.send(f"/rules test {deal.id} won")
    tried = await tg.wait_for_message(ADMIN_ID, lambda m: "1. Note the win" in m.rendered,
                                      since=since)
    assert "add the note “Won Tom & Jerry's shop for €1,500.00 <3”" in tried.rendered
    # the test's last message, so that the next answer waited for is not this one
    await tg.wait_for_message(ADMIN_ID, lambda m: "Want to get all of it" in m.rendered,
                              since=since)
    assert await count_of(crm, NOTES) == 0  # test mode keeps nothing

    await say(tg, ada, f"/move {deal.id} won")
    await crm.automation.tick()
    card = await say(tg, ada, f"/item {deal.id}")
    when = moment(clock.now(), "en", "Europe/Berlin")
    assert (f"📝 1 note, the latest by Automation {when}: Won Tom & Jerry's shop for "
            "€1,500.00 <3") in card.rendered  # as plain text: escaped for Telegram, shown as is
    history = await press_for_message(tg, ada, card, "History")
    assert f"📝 {when}, Automation:\nWon Tom & Jerry's shop for €1,500.00 <3" in \
        history.rendered
    status = await say(tg, ada, f"/status {deal.id}")
    assert "✅ Note the win — executed" in status.rendered


async def test_the_rule_dialog_adds_a_note_rule_in_german(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    dialog = await say(tg, ada, "/rules add")
    dialog = await tap(tg, ada, dialog, "Auftrag")
    dialog = await tap(tg, ada, dialog, "Gewonnen")
    assert "Notiz hinzufügen" in dialog.button_texts
    dialog = await tap(tg, ada, dialog, "Notiz hinzufügen")
    assert "Notiz hinzufügen" in dialog.rendered
    dialog = await say(tg, ada, "Gewonnen: {{ item.title }}")
    dialog = await tap(tg, ada, dialog, "nabhängig von den anderen")
    dialog = await tap(tg, ada, dialog, "Sofort")
    dialog = await tap(tg, ada, dialog, "Keine Bedingung")
    saved = await tap(tg, ada, dialog, "Vorschlag übernehmen")
    assert "✅ Gespeichert." in saved.rendered
    assert "Notiz hinzufügen: „Gewonnen: Website relaunch“" in saved.rendered
    rules = await rules_in(crm, "won")
    assert [(r.kind, r.params) for r in rules] == [
        ("add_note", {"text": "Gewonnen: {{ item.title }}"})]
    await say(tg, ada, "/new deal Laden; 100 EUR")
    deal = (await all_items(crm))[-1]
    await say(tg, ada, f"/move {deal.id} won")
    await crm.automation.tick()
    card = await say(tg, ada, f"/item {deal.id}")
    assert "📝 1 Notiz von Automatisierung am" in card.rendered
    assert ": Gewonnen: Laden" in card.rendered
