"""A new admin sets up automation alone: a delayed client message with a condition and a
document rule, through buttons (the condition typed in the admin's words), in German and
in English — and no screen shows JSON, a Python type, a file name or the other language."""

from __future__ import annotations

import asyncio
import re

from bot.app import CrmBot
from crm.clock import FrozenClock
from rules.model import TimeUnit, TimingMode
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.automation_steps import add_rule
from tests.journeys.rules_steps import deal_stage, rules_in, tap
from tests.journeys.steps import admin, all_items, say

PYTHON_TYPES = re.compile(r"\b(str|int|bool|NoneType|dict|list|Literal|Optional)\b|\| None")
# Words that gave English away on German screens before (and German on English ones).
ENGLISH = re.compile(r"\b(the|and|or|of|is|not|message|client|settings|template|required|"
                     r"optional|skip|after|immediately|independently|invoice|condition|rule|"
                     r"title|amount|nobody|responsible)\b", re.IGNORECASE)
GERMAN = re.compile(r"\b(Sie|und|oder|der|die|das|nach|Regel|Nachricht|Kunden|Bedingung|"
                    r"Rechnung|Betrag|ist|leer|überspringen)\b", re.IGNORECASE)


def screens(tg: FakeTelegram, since: int) -> list[str]:
    """Every text and button the admin saw since `since`, edited versions included."""
    shown: list[str] = []
    for message in tg.messages_to(ADMIN_ID)[since:]:
        versions = [(v.rendered, v.reply_markup) for v in message.edits]
        versions.append((message.rendered, message.reply_markup))
        for rendered, markup in versions:
            rows = (markup or {}).get("inline_keyboard") or []
            shown += [rendered, *(str(button.get("text")) for row in rows for button in row)]
    return shown


def assert_clean(texts: list[str], foreign: re.Pattern[str]) -> None:
    wrong = [(found.group(), text) for text in texts
             for pattern in (re.compile(r"[{}]|\.j2|messages/"), PYTHON_TYPES, foreign)
             for found in pattern.finditer(text)]
    assert wrong == [], "\n".join(f"{w!r} in {t!r}" for w, t in wrong)


async def message_rule(tg: FakeTelegram, ada: FakeUser, words: dict[str, str]) -> SentMessage:
    dialog = await say(tg, ada, "/rules add")
    for button in (words["deal"], words["won"], words["kind"]):
        dialog = await tap(tg, ada, dialog, button)
    assert words["preview"] in dialog.rendered  # the message as it reads, not a file name
    dialog = await tap(tg, ada, dialog, words["preview"])
    dialog = await tap(tg, ada, dialog, words["independent"])
    dialog = await tap(tg, ada, dialog, words["after"])
    for button in words["condition"].split(" | "):  # source is not Telegram and has a name
        dialog = await tap(tg, ada, dialog, button)
    title = dialog
    assert words["suggestion"] in title.rendered
    return await tap(tg, ada, title, words["take"])


async def document_rule(tg: FakeTelegram, ada: FakeUser, words: dict[str, str]) -> SentMessage:
    dialog = await say(tg, ada, "/rules add")
    for button in (words["deal"], words["won"], words["document"], words["invoice"],
                   words["to_client"]):
        dialog = await tap(tg, ada, dialog, button)
    for _optional in range(3):  # language, payment term, caption: the defaults
        assert any(words["skip"] in b for b in dialog.button_texts), dialog.rendered
        dialog = await tap(tg, ada, dialog, words["skip"])
    dialog = await tap(tg, ada, dialog, words["independent"])
    dialog = await tap(tg, ada, dialog, words["immediately"])
    dialog = await tap(tg, ada, dialog, words["no_condition"])
    return await tap(tg, ada, dialog, words["take"])


GERMAN_WORDS = {
    "deal": "Auftrag", "won": "Gewonnen", "kind": "Telegram-Nachricht an den Kunden",
    "preview": "vielen Dank für Ihren Auftrag", "independent": "nabhängig von den anderen",
    "after": "nach 1 Tag",
    "condition": "Mit Schaltflächen | Quelle | ist nicht | Telegram | und … | Kontaktname | "
                 "ist nicht leer | Das ist alles",
    "suggestion": "Telegram-Nachricht an den Kunden – nach 1 Tag",
    "take": "Vorschlag übernehmen", "document": "Dokument erstellen", "invoice": "Rechnung",
    "to_client": "an den Kunden", "skip": "Überspringen", "immediately": "Sofort",
    "no_condition": "Keine Bedingung",
}
ENGLISH_WORDS = {
    "deal": "Deal", "won": "Won", "kind": "Telegram message to the client",
    "preview": "thank you for your order", "independent": "Independently of the others",
    "after": "after 1 day",
    "condition": "Put it together | source | is not | Telegram | and … | contact.name | "
                 "is not empty | That is all",
    "suggestion": "Telegram message to the client – after 1 day",
    "take": "Take the suggestion", "document": "Create a document", "invoice": "Invoice",
    "to_client": "to the client", "skip": "Skip", "immediately": "Immediately",
    "no_condition": "No condition",
}


async def test_a_german_admin_sets_up_a_client_message_and_an_invoice(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg, language_code="de")
    since = len(tg.messages_to(ADMIN_ID))
    saved = await message_rule(tg, ada, GERMAN_WORDS)
    assert "✅ Gespeichert." in saved.rendered
    assert "Bedingung: Quelle ist nicht Telegram und Kontaktname ist nicht leer" in saved.rendered
    assert "Telegram-Nachricht an den Kunden: „Guten Tag Anna Schmidt, vielen Dank" in \
        saved.rendered
    saved = await document_rule(tg, ada, GERMAN_WORDS)
    assert "Dokument erstellen: Rechnung → Kunde" in saved.rendered
    assert_clean(screens(tg, since), ENGLISH)

    message, document = await rules_in(crm, "won")
    assert (message.kind, message.params) == (
        "message_client", {"template": "messages/thank_you.j2"})
    assert (message.timing.mode, message.timing.amount, message.timing.unit) == (
        TimingMode.DELAY, 1, TimeUnit.DAYS)
    assert message.title == "Telegram-Nachricht an den Kunden – nach 1 Tag"
    assert message.condition == {"all": [
        {"field": "item.source", "op": "!=", "value": "telegram"},
        {"field": "contact.name", "op": "not_empty", "value": None}]}
    assert (document.kind, document.params) == (
        "create_document", {"doc_type": "invoice", "language": "auto", "due_days": 14,
                            "send_to": "client"})

    await say(tg, ada, "/new deal Laden; 5000 EUR")  # no contact: the message has nobody
    deal = (await all_items(crm))[-1]
    await say(tg, ada, f"/move {deal.id} won")
    status = await say(tg, ada, f"/status {deal.id}")
    assert "⏳ Telegram-Nachricht an den Kunden – nach 1 Tag – wartet bis" in status.rendered
    clock.advance(days=1, seconds=1)
    skipped = ("⚪ Telegram-Nachricht an den Kunden – nach 1 Tag – nicht ausgelöst: "
               "Kontaktname ist leer")
    async with asyncio.timeout(10):
        while skipped not in status.rendered:
            crm.automation.runs.wake()
            await asyncio.sleep(0.05)
            status = await say(tg, ada, f"/status {deal.id}")


async def test_an_english_admin_does_the_same_in_english(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="en")
    since = len(tg.messages_to(ADMIN_ID))
    saved = await message_rule(tg, ada, ENGLISH_WORDS)
    assert "Condition: source != telegram and contact.name is not empty" in saved.rendered
    saved = await document_rule(tg, ada, ENGLISH_WORDS)
    assert "Create a document: Invoice → client" in saved.rendered
    assert_clean(screens(tg, since), GERMAN)
    assert [r.kind for r in await rules_in(crm, "won")] == ["message_client", "create_document"]


async def test_a_typed_value_may_start_with_a_placeholder(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    dialog = await say(tg, ada, "/rules add")
    for button in ("Auftrag", "Gewonnen", "Aktivität anlegen", "ein Anruf"):
        dialog = await tap(tg, ada, dialog, button)
    assert "Der Betreff?\nBitte schreiben Sie die Antwort (z. B. Beim Angebot nachfassen)." in \
        dialog.rendered
    dialog = await say(tg, ada, "{{ contact.name }} anrufen")
    assert "Wann ist sie fällig?" in dialog.rendered
    dialog = await say(tg, ada, "nach 2 Tagen")
    assert "Für wen? (Überspringen: die verantwortliche Person)" in dialog.rendered
    dialog = await tap(tg, ada, dialog, "Überspringen")
    assert "unabhängig von den anderen Regeln" in dialog.rendered

    typed = await say(tg, ada, "/rules add")
    for button in ("Auftrag", "Gewonnen", "Aktivität anlegen", "auf einmal eintippen"):
        typed = await tap(tg, ada, typed, button)
    assert "• subject – Der Betreff? (Pflicht)" in typed.rendered
    question = await say(tg, ada, "activity = call\nsubject = {{ contact.name }} anrufen")
    assert "unabhängig von den anderen Regeln" in question.rendered
    question = await tap(tg, ada, question, "nabhängig von den anderen")
    question = await tap(tg, ada, question, "Sofort")
    question = await tap(tg, ada, question, "Keine Bedingung")
    await tap(tg, ada, question, "Vorschlag übernehmen")
    [rule] = await rules_in(crm, "won")
    assert rule.params["subject"] == "{{ contact.name }} anrufen"


async def test_the_shipped_rules_read_in_the_admins_language(
        tg: FakeTelegram, crm: CrmBot) -> None:
    await crm.automation.files.install_defaults()
    ada = await admin(tg, language_code="de")
    since = len(tg.messages_to(ADMIN_ID))
    screen = await say(tg, ada, "/rules")
    for button in ("Auftrag", "Neu (2)"):
        screen = await tap(tg, ada, screen, button)
    assert "1. Kunden begrüßen" in screen.rendered
    assert "Telegram-Nachricht an den Kunden: „Hallo Anna Schmidt! Vielen Dank für Ihr " in \
        screen.rendered
    assert "wenn Quelle ist nicht Telegram und Kontaktname ist nicht leer" in screen.rendered
    assert_clean(screens(tg, since), ENGLISH)


FILE_WITH_PROBLEMS = """\
version: 1
rules:
  - type: deal
    stage: won
    kind: notify_responsible
    params: {text: "Won {{ item.no_such_field }}"}
  - type: deal
    stage: won
    kind: unknown_kind
  - type: deal
    stage: won
    kind: create_document
    params: {doc_type: receipt}
"""


async def send_file(tg: FakeTelegram, user: FakeUser, content: str) -> str:
    since = len(tg.sent)
    user.send_document("rules.yaml", content.encode(), None)
    return (await tg.wait_for_message(ADMIN_ID, since=since)).rendered


async def test_a_rules_file_with_problems_is_explained_in_sentences(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/rules import")
    odd = await send_file(tg, ada, FILE_WITH_PROBLEMS.replace("    kind: unknown_kind",
                                                              "    colour: blue"))
    assert "• Zeile 9: „colour“ gehört nicht zu einer Regel" in odd
    answer = await send_file(tg, ada, FILE_WITH_PROBLEMS)
    assert "• Zeile 6: ⚠️ Die Vorlage funktioniert nicht: " in answer
    assert "das Element hat kein Feld „no_such_field“" in answer
    assert "• Zeile 9: Diese Art von Regel gibt es nicht: „unknown_kind“" in answer
    assert "• Zeile 13: „doc_type“: muss einer dieser Werte sein: 'quote', 'invoice', " \
           "'contract'" in answer
    for internal in ("crm.models", "object", "Input should", "unknown_kind:", "_error"):
        assert internal not in answer
    assert await rules_in(crm, "won") == []


async def test_changing_settings_keeps_or_changes_each_answer(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "create_document",
                   {"doc_type": "quote", "send_to": "responsible", "due_days": 30},
                   title="Paper")
    card = await say(tg, ada, "/rules")
    for button in ("Deal", "Won (1)", "1. Paper", "✏️ Settings"):
        card = await tap(tg, ada, card, button)
    assert "Which document?\nNow: Quote" in card.rendered
    card = await tap(tg, ada, card, "Keep as it is")
    assert "Where should the PDF go?\nNow: to the responsible person" in card.rendered
    card = await tap(tg, ada, card, "to the client")
    card = await tap(tg, ada, card, "Keep as it is")  # language: the default it had
    assert "Payment term or validity in days?" in card.rendered and "Now: 30" in card.rendered
    card = await say(tg, ada, "soon")
    assert "Please type a whole number, e.g. 14." in card.rendered
    card = await say(tg, ada, "21")
    saved = await tap(tg, ada, card, "Skip")  # no text under the PDF
    assert "✅ Saved." in saved.rendered and "Create a document: Quote → client" in saved.rendered
    [rule] = await rules_in(crm, "won")
    assert rule.params == {"doc_type": "quote", "language": "auto", "due_days": 21,
                           "send_to": "client"}


async def test_a_template_that_does_not_compile_is_explained(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    dialog = await say(tg, ada, "/rules add")
    for button in ("Auftrag", "Gewonnen", "Verantwortliche Person benachrichtigen",
                   "Eigenen Text schreiben"):
        dialog = await tap(tg, ada, dialog, button)
    assert "{{ contact.name }} (der Name des Kunden)" in dialog.rendered
    dialog = await say(tg, ada, "Gewonnen: {{ item.title }")
    dialog = await tap(tg, ada, dialog, "nabhängig von den anderen")
    dialog = await tap(tg, ada, dialog, "Sofort")
    dialog = await tap(tg, ada, dialog, "Keine Bedingung")
    since = len(tg.sent)
    await tap(tg, ada, dialog, "Vorschlag übernehmen")
    problem = await tg.wait_for_message(ADMIN_ID, lambda m: "Vorlage" in m.rendered, since=since)
    assert "„}“ gehört dort nicht hin (Ist jeder Platzhalter mit }} geschlossen?)" in \
        problem.rendered
    assert "unexpected" not in problem.rendered


async def test_a_monthly_copy_is_set_up_by_buttons(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    dialog = await say(tg, ada, "/rules add")
    for button in ("Deal", "Won", "Create a copy of the item", "General", "New"):
        dialog = await tap(tg, ada, dialog, button)
    assert "The copy's title? (Skip: the same)" in dialog.rendered
    dialog = await tap(tg, ada, dialog, "Skip")
    dialog = await tap(tg, ada, dialog, "on a day of every month")
    assert "On which day of the month?" in dialog.rendered
    dialog = await say(tg, ada, "15")
    assert "How many copies at most?" in dialog.rendered
    dialog = await say(tg, ada, "12")
    assert "independently of the other rules" in dialog.rendered
    for button in ("Independently of the others", "Immediately", "No condition",
                   "Take the suggestion"):
        dialog = await tap(tg, ada, dialog, button)
    assert "✅ Saved." in dialog.rendered
    [rule] = await rules_in(crm, "won")
    new = await deal_stage(crm, "new")
    assert rule.params == {"pipeline_id": rule.pipeline_id, "stage_id": new, "repeat": "month_day",
                           "every": 1, "day": 15, "times": 12}
