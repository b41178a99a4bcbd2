"""German and English: the Telegram app's language, DEFAULT_LANGUAGE, and /language."""

from __future__ import annotations

from pathlib import Path

from bot.app import CrmBot
from crm.clock import FrozenClock
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, press, say, stored_staff


async def test_a_german_user_sees_everything_in_german(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    question = await say(tg, ada, "/new")
    assert question.rendered == "Was möchten Sie anlegen?"
    assert question.button_texts == ["Auftrag", "Angebot", "Rechnung"]
    await press(tg, ada, question, "Auftrag")
    assert question.rendered.startswith("Titel des neuen Elements?")
    await say(tg, ada, "Relaunch")
    contact_question = await say(tg, ada, "15.000,50")
    card = await say(tg, ada, "Anna Schmidt")
    assert contact_question.rendered.startswith("Name des Kontakts?")
    assert "Auftrag #1 · Relaunch" in card.rendered
    assert "Betrag: 15.000,50\xa0€" in card.rendered and "Angelegt." in card.rendered
    assert "▶️ Neu" in card.rendered and "Phase wählen" in card.button_texts
    toast = await press(tg, ada, card, "Dokumente vorbereiten ▶")
    assert toast.text == "Verschoben nach Dokumente vorbereiten"
    wrong = await say(tg, ada, "/move 1 Mond")
    assert wrong.rendered == "Ich finde Phase „Mond“ nicht."
    help_text = (await say(tg, ada, "/help")).rendered
    example = "/new auftrag Website-Relaunch; 15.000 EUR; Anna Schmidt"
    assert example in help_text
    assert "Auftrag #2 · Website-Relaunch" in (await say(tg, ada, example)).rendered


async def test_clients_are_answered_in_their_language(tg: FakeTelegram, crm: CrmBot) -> None:
    greta = tg.user(3001, "Greta", language_code="de-AT")
    greeting = await say(tg, greta, "/start")
    assert greeting.rendered.startswith("Hallo! Danke für Ihre Nachricht.")
    pierre = tg.user(3002, "Pierre", language_code="fr")
    assert (await say(tg, pierre, "/start")).rendered.startswith("Hello! Thank you")


async def test_language_command_overrides_the_app_language(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="en")
    assert (await say(tg, ada, "/language de")).rendered == "Sprache: Deutsch."
    assert (await stored_staff(crm, ADMIN_ID)).language == "de"
    assert (await say(tg, ada, "/new")).rendered == "Was möchten Sie anlegen?"
    await say(tg, ada, "/cancel")
    assert (await say(tg, ada, "/language en")).rendered == "Language: English."
    assert (await say(tg, ada, "/new")).rendered == "What would you like to create?"
    wrong = await say(tg, ada, "/language fr")
    assert wrong.rendered == "Usage: /language de or /language en"


async def test_default_language_serves_other_app_languages(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    settings = make_settings(tg, tg.base_url or "", tmp_path).model_copy(
        update={"default_language": "de"})
    running = await start_bot(settings, clock)
    try:
        pierre = tg.user(3002, "Pierre", language_code="fr")
        assert (await say(tg, pierre, "/start")).rendered.startswith("Hallo! Danke")
        nobody = tg.user(3003, "Anon", language_code=None)
        assert (await say(tg, nobody, "/start")).rendered.startswith("Hallo! Danke")
        assert tg.commands_for("default") == [("start", "Starten")]
    finally:
        await running.stop()
