"""Reminders by hand as a salesperson sees them in Telegram: `/remind` with phrases in both
languages, ⏰ on the card with a preset or a typed time, the reminder arriving when due,
snoozing it (+1 h, the next working morning) and being reminded again, done; bad phrases
refused with nothing stored. The journeys start on Monday 23 Nov 2026, 10:00 in Berlin."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Activity, Role, Staff
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.steps import admin, press, press_for_message, say

ADMIN = Staff(ADMIN_ID, "Ada Admin", Role.ADMIN)
AM, PM = "\u202fAM", "\u202fPM"
REMINDED = ("⏰ Due", "⏰ Overdue", "⏰ Fällig", "⏰ Überfällig")


async def open_reminders(crm: CrmBot) -> list[Activity]:
    return await crm.services.activities.mine(ADMIN)


async def reminder_when_due(tg: FakeTelegram, crm: CrmBot, clock: FrozenClock,
                            **advance: int) -> SentMessage:
    """Time passes; the reminder worker wakes as its timer would and the reminder arrives."""
    since = len(tg.sent)
    clock.advance(**advance)
    await crm.dp["workflow"].tick()
    return await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered.startswith(REMINDED),
                                     since=since)


async def deal(tg: FakeTelegram, ada: FakeUser) -> None:
    await say(tg, ada, "/new deal Relaunch; 15.000 EUR")


async def test_remind_by_phrase_snooze_and_done(tg: FakeTelegram, crm: CrmBot,
                                                clock: FrozenClock) -> None:
    ada = await admin(tg)
    await deal(tg, ada)
    first = await say(tg, ada, "/remind 1 tuesday 10:00 call back")
    assert first.rendered == (f"⏰ Reminder set for 11/24/26, 10:00{AM}: call back\n"
                              "#1 · Relaunch")
    assert first.button_texts == ["Open #1"]
    second = await say(tg, ada, "/remind 1 in 2 hours send the offer")
    assert second.rendered.startswith(f"⏰ Reminder set for 11/23/26, 12:00{PM}: send the offer")
    third = await say(tg, ada, "/remind #1 12.12. 14:00; 2 copies for the client")
    assert third.rendered.startswith(f"⏰ Reminder set for 12/12/26, 2:00{PM}: 2 copies")
    listing = await say(tg, ada, "/activities")
    assert listing.rendered == (
        "My activities (3), the most urgent first:\n"
        f"1. 📋 send the offer — due 11/23/26, 12:00{PM} · #1 Relaunch\n"
        f"2. 📋 call back — due 11/24/26, 10:00{AM} · #1 Relaunch\n"
        f"3. 📋 2 copies for the client — due 12/12/26, 2:00{PM} · #1 Relaunch")

    reminder = await reminder_when_due(tg, crm, clock, hours=2)
    assert reminder.rendered == (f"⏰ Due 11/23/26, 12:00{PM}: 📋 send the offer\n"
                                 "#1 · Relaunch")
    assert reminder.button_texts == ["✅ Done", "Open #1", "⏰ +1 h", "🌅 Tomorrow 9:00"]
    toast = await press(tg, ada, reminder, "+1 h")
    assert toast.text == f"I'll remind you again 11/23/26, 1:00{PM}."
    assert reminder.rendered.endswith(f"⏰ Snoozed until 11/23/26, 1:00{PM} (Ada Admin)")
    assert (await open_reminders(crm))[0].deadline == datetime(
        2026, 11, 23, 12, 0, tzinfo=UTC)  # 13:00 in Berlin

    again = await reminder_when_due(tg, crm, clock, hours=1)  # reminded again after the snooze
    assert again.rendered == (f"⏰ Due 11/23/26, 1:00{PM}: 📋 send the offer\n"
                              "#1 · Relaunch")
    toast = await press(tg, ada, again, "Tomorrow 9:00")
    assert toast.text == f"I'll remind you again 11/24/26, 9:00{AM}."
    morning = await reminder_when_due(tg, crm, clock, hours=20)  # Tuesday 9:00
    assert morning.rendered.startswith(f"⏰ Due 11/24/26, 9:00{AM}: 📋 send the offer")
    toast = await press(tg, ada, morning, "✅ Done")
    assert toast.text == "Done: send the offer"
    assert morning.rendered.endswith("✅ Done (Ada Admin)")

    for old, button in ((reminder, "+1 h"), (again, "✅ Done"), (again, "Tomorrow")):
        toast = await press(tg, ada, old, button)  # an old reminder of a done activity
        assert (toast.text, toast.show_alert) == ("This was done already: send the offer", True)
    assert [a.subject for a in await open_reminders(crm)] == [
        "call back", "2 copies for the client"]

    # Tuesday 10:10: the bot was busy or down at 10:00, so the reminder comes late
    call = await reminder_when_due(tg, crm, clock, hours=1, minutes=10)
    assert call.rendered.startswith(f"⏰ Overdue since 11/24/26, 10:00{AM}: 📋 call back")
    assert len([m for m in tg.messages_to(ADMIN_ID) if m.rendered.startswith(REMINDED)]) == 4


async def test_bad_phrases_are_refused_and_nothing_is_stored(tg: FakeTelegram,
                                                             crm: CrmBot) -> None:
    ada = await admin(tg)
    await deal(tg, ada)
    for command in ("/remind", "/remind 1", "/remind x tomorrow 9:00 call"):
        wrong = await say(tg, ada, command)
        assert wrong.rendered.startswith("Usage: /remind <item> <when> <text> — the time first")
    unknown = await say(tg, ada, "/remind 1 someday call back")
    assert unknown.rendered == (
        "I can't read “someday call back” as a time; nothing was saved.\nWrite e.g. "
        "tomorrow 9:00, tuesday 10:00, in 2 hours, 12.12. 14:00 — or morgen 9 Uhr, "
        "Dienstag 10:00, in 2 Stunden.")
    past = await say(tg, ada, "/remind 1 today 8:00 call back")
    assert past.rendered == (f"11/23/26, 8:00{AM} has already passed. Please choose a time "
                             "ahead; nothing was saved.")
    assert (await say(tg, ada, "/remind 1 01.01.2026 10:00 x")).rendered.startswith(
        f"1/1/26, 10:00{AM} has already passed.")
    long = await say(tg, ada, "/remind 1 tomorrow 9:00 " + "x" * 201)
    assert long.rendered == "That text is too long (at most 200 characters); nothing was saved."
    missing = await say(tg, ada, "/remind 42 tomorrow 9:00 call")
    assert missing.rendered == "I could not find item “42”."
    assert await open_reminders(crm) == []
    assert (await say(tg, ada, "/activities")).rendered == "You have no open activities. 🎉"


async def test_from_the_card_with_a_preset_or_a_typed_time(tg: FakeTelegram, crm: CrmBot,
                                                           clock: FrozenClock) -> None:
    ada = await admin(tg)
    await deal(tg, ada)
    card = await say(tg, ada, "/item 1")
    assert "⏰ Remind" in card.button_texts
    question = await press_for_message(tg, ada, card, "⏰ Remind")
    assert question.rendered.startswith("⏰ Reminder for #1 · Relaunch — when?\nChoose below")
    assert question.button_texts == ["In 1 hour", "Tomorrow 9:00", "Next Monday 9:00"]
    await press(tg, ada, question, "Next Monday 9:00")
    assert question.rendered == (f"⏰ 11/30/26, 9:00{AM}. What is it about? Type the text, or "
                                 "skip for “Follow up”.")
    done = await say(tg, ada, "Ask about the budget")
    assert done.rendered == (f"⏰ Reminder set for 11/30/26, 9:00{AM}: Ask about the budget\n"
                             "#1 · Relaunch")

    question = await press_for_message(tg, ada, card, "⏰ Remind")
    refused = await say(tg, ada, "whenever")
    assert refused.rendered.startswith("I can't read “whenever” as a time; nothing was saved.")
    asked = await say(tg, ada, "in 30 minutes")
    assert asked.rendered.startswith(f"⏰ 11/23/26, 10:30{AM}. What is it about?")
    await press(tg, ada, asked, "Skip")
    assert [(a.subject, a.kind) for a in await open_reminders(crm)] == [
        ("Follow up", "task"), ("Ask about the budget", "task")]
    toast = await press(tg, ada, asked, "Skip")  # the question was answered
    assert toast.text == "This question is no longer open; press ⏰ Remind on the card again."
    assert len(await open_reminders(crm)) == 2

    reminder = await reminder_when_due(tg, crm, clock, minutes=30)
    assert reminder.rendered.startswith(f"⏰ Due 11/23/26, 10:30{AM}: 📋 Follow up")


async def test_a_german_salesperson_reminds_and_snoozes(tg: FakeTelegram, crm: CrmBot,
                                                        clock: FrozenClock) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/language de")  # kept: the reminder worker writes in it
    await say(tg, ada, "/new auftrag Relaunch; 15.000 EUR")
    done = await say(tg, ada, "/remind 1 morgen 9 Uhr Angebot nachfassen")
    assert done.rendered == ("⏰ Erinnerung am 24.11.26, 09:00: Angebot nachfassen\n"
                             "#1 · Relaunch")
    assert done.button_texts == ["#1 öffnen"]
    assert (await say(tg, ada, "/remind 1 Dienstag 10:00 zurückrufen")).rendered.startswith(
        "⏰ Erinnerung am 24.11.26, 10:00: zurückrufen")
    assert (await say(tg, ada, "/remind 1 in 2 Stunden Preis klären")).rendered.startswith(
        "⏰ Erinnerung am 23.11.26, 12:00: Preis klären")
    refused = await say(tg, ada, "/remind 1 irgendwann anrufen")
    assert refused.rendered == (
        "„irgendwann anrufen“ verstehe ich nicht als Zeitangabe; nichts gespeichert.\n"
        "Zum Beispiel: morgen 9 Uhr, Dienstag 10:00, in 2 Stunden, 12.12. 14:00 – auch auf "
        "Englisch: tomorrow 9:00, tuesday 10:00, in 2 hours.")
    past = await say(tg, ada, "/remind 1 heute 9 Uhr anrufen")
    assert past.rendered == ("23.11.26, 09:00 ist schon vorbei. Bitte eine Zeit in der Zukunft "
                             "wählen; nichts gespeichert.")
    usage = await say(tg, ada, "/remind 1")
    assert usage.rendered.startswith("Verwendung: /remind <Element> <wann> <Text>") or \
        "/remind <Element> <wann> <Text> – erst die Zeit, dann der Text" in usage.rendered

    card = await say(tg, ada, "/item 1")
    question = await press_for_message(tg, ada, card, "⏰ Erinnern")
    assert question.rendered.startswith("⏰ Erinnerung zu #1 · Relaunch – wann?")
    assert question.button_texts == ["In 1 Stunde", "Morgen 9:00", "Nächsten Montag 9:00"]
    await press(tg, ada, question, "In 1 Stunde")
    assert question.rendered == ("⏰ 23.11.26, 11:00. Worum geht es? Schreiben Sie einen Text, "
                                 "oder überspringen Sie – dann heißt es „Nachfassen“.")
    await press(tg, ada, question, "Überspringen")
    listing = await say(tg, ada, "/activities")
    assert "📋 Nachfassen – fällig 23.11.26, 11:00 · #1 Relaunch" in listing.rendered

    reminder = await reminder_when_due(tg, crm, clock, hours=1)
    assert reminder.rendered == ("⏰ Fällig 23.11.26, 11:00: 📋 Nachfassen\n"
                                 "#1 · Relaunch")
    assert reminder.button_texts == ["✅ Erledigt", "#1 öffnen", "⏰ +1 Std.", "🌅 Morgen 9:00"]
    toast = await press(tg, ada, reminder, "+1 Std.")
    assert toast.text == "Nächste Erinnerung: 23.11.26, 12:00."
    assert reminder.rendered.endswith("⏰ Verschoben auf 23.11.26, 12:00 (Ada Admin)")
    snooze = reminder.find_button("Morgen 9:00")[1]
    toast = await press(tg, ada, reminder, "Erledigt")
    assert toast.text == "Erledigt: Nachfassen"
    assert reminder.button_texts == ["#1 öffnen"]
    toast = await press(tg, ada, reminder, data=snooze, strict=False)  # an old copy of it
    assert (toast.text, toast.show_alert) == ("Das ist schon erledigt: Nachfassen", True)
