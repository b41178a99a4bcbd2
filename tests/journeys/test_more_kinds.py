"""The further rule kinds as an admin sets them up — through the rule dialog's questions, no
JSON — and as staff and clients then see them: several fields changed at once, a contact's
phone number changed, a deal's invoice made with its products and amount, open activities
done, and follow-ups held back until the client replied or the time-out passed."""

from __future__ import annotations

from decimal import Decimal

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Product
from rules.model import Execution
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.automation_steps import add_rule, deal_with_connected_client
from tests.journeys.rules_steps import rules_in, tap
from tests.journeys.steps import admin, all_items, say, seed, stored_staff

GERMAN_TAIL = ("Unabhängig von den anderen", "Sofort", "Keine Bedingung",
               "Vorschlag übernehmen")
ENGLISH_TAIL = ("Independently of the others", "Immediately", "No condition",
                "Take the suggestion")


async def set_up(tg: FakeTelegram, user: FakeUser, path: tuple[str, ...],
                 answers: tuple[str, ...], tail: tuple[str, ...]) -> SentMessage:
    """/rules add, then a button for each of `path` (type, stage, kind); each answer a
    button when the question offers one that reads so, else typed; then `tail`."""
    dialog = await say(tg, user, "/rules add")
    for button in path:
        dialog = await tap(tg, user, dialog, button)
    for answer in (*answers, *tail):
        if any(answer in b for b in dialog.button_texts):
            dialog = await tap(tg, user, dialog, answer)
        else:
            dialog = await say(tg, user, answer)
    return dialog


async def test_several_fields_change_at_once_and_the_card_shows_them(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    question = await set_up(tg, ada, ("Auftrag", "Dokumente vorbereiten",
                                      "Mehrere Felder ändern"), (), ())
    assert "Eines pro Zeile: Feld = Wert" in question.rendered
    saved = await set_up(tg, ada, ("Auftrag", "Dokumente vorbereiten", "Mehrere Felder ändern"),
                         ("Betrag = {{ item.amount * 1.19 }}\nWahrscheinlichkeit = 80",),
                         GERMAN_TAIL)
    assert "✅ Gespeichert." in saved.rendered
    assert "Mehrere Felder ändern: Betrag, Wahrscheinlichkeit = 80" in saved.rendered
    [rule] = await rules_in(crm, "preparing_documents")
    assert rule.params == {"changes": "amount = {{ item.amount * 1.19 }}\nprobability = 80"}

    await say(tg, ada, "/new deal Relaunch; 10.000 EUR")
    deal = (await all_items(crm))[-1]
    await say(tg, ada, f"/move {deal.id} preparing_documents")
    await crm.automation.tick()
    card = await say(tg, ada, f"/item {deal.id}")
    assert "Betrag: 11.900,00\xa0€" in card.rendered
    assert "Wahrscheinlichkeit: 80 %" in card.rendered


async def test_the_contacts_phone_number_changes_and_the_card_shows_it(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    saved = await set_up(tg, ada, ("Deal", "In progress", "Change a contact or company field"),
                         ("the item’s contact", "phone number", "{{ item.custom.phone }}"),
                         ENGLISH_TAIL)
    assert "Change a contact or company field: the contact’s phone number" in saved.rendered
    deal = await seed(crm, ADMIN_ID, "deal", "Relaunch", contact_name="Carl Client",
                      custom={"phone": "030 1234567"})
    await say(tg, ada, f"/move {deal.id} in_progress")
    await crm.automation.tick()
    card = await say(tg, ada, f"/item {deal.id}")
    assert "Contact: Carl Client" in card.rendered
    assert "0301234567" in card.rendered


async def test_a_deal_in_final_invoice_gets_its_invoice_with_products_and_amount(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    saved = await set_up(tg, ada, ("Auftrag", "Schlussrechnung",
                                   "Element eines anderen Typs anlegen"),
                         ("eine Rechnung", "Überspringen"), GERMAN_TAIL)
    assert "Element eines anderen Typs anlegen: eine Rechnung" in saved.rendered
    deal = await seed(crm, ADMIN_ID, "deal", "Relaunch", contact_name="Carl Client",
                      products=[Product("Design", Decimal("1200.00"), Decimal(2)),
                                Product("Hosting", Decimal("30.00"))])
    await say(tg, ada, f"/move {deal.id} final_invoice")
    await crm.automation.tick()

    invoice = (await all_items(crm))[-1]
    assert (invoice.type_code, invoice.id) == ("invoice", deal.id + 1)
    card = await say(tg, ada, f"/item {invoice.id}")
    shown = card.rendered
    assert f"Rechnung #{invoice.id} · Relaunch" in shown
    assert "Kontakt: Carl Client" in shown
    assert "• Design × 2 = 2.400,00\xa0€" in shown and "• Hosting × 1 = 30,00\xa0€" in shown
    assert "Betrag: 2.430,00\xa0€" in shown
    assert f"Erstellt aus Auftrag #{deal.id} (/item {deal.id})" in shown
    assert "▶️ Neu" in shown  # the first stage of the invoices' pipeline


async def test_open_activities_are_done_when_the_deal_is_won(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    saved = await set_up(tg, ada, ("Deal", "Won", "Complete open activities"),
                         ("calls", "Skip"), ENGLISH_TAIL)
    assert "Complete open activities: open calls" in saved.rendered
    deal = await seed(crm, ADMIN_ID, "deal", "Relaunch")
    await crm.services.activities.add(await stored_staff(crm, ADMIN_ID), deal.id, "call",
                                      "Call Carl back")
    await say(tg, ada, f"/remind {deal.id} tomorrow 10:00 Send the contract")
    card = await say(tg, ada, f"/item {deal.id}")
    assert "Call Carl back" in card.rendered and "Send the contract" in card.rendered
    await say(tg, ada, f"/move {deal.id} won")
    await crm.automation.tick()
    card = await say(tg, ada, f"/item {deal.id}")
    assert "Call Carl back" not in card.rendered  # done by the rule
    assert "Send the contract" in card.rendered  # a task, not a call: still open


async def test_the_follow_up_waits_for_the_clients_reply_or_the_time_out(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg, language_code="de")
    saved = await set_up(tg, ada, ("Auftrag", "In Bearbeitung",
                                   "Auf Antwort oder Bedingung warten"),
                         ("die Antwort des Kunden", "2", "Tage"), GERMAN_TAIL)
    assert "Auf Antwort oder Bedingung warten: die Antwort des Kunden, höchstens 2 Tage" in \
        saved.rendered
    await add_rule(crm, ADMIN_ID, "in_progress", "notify_responsible",
                   {"text": "{{ contact.name }}: weiter mit {{ item.title }}"},
                   title="Nachfassen", execution=Execution.AFTER_PREVIOUS)
    deal, carl = await deal_with_connected_client(tg, crm, ada)
    await say(tg, ada, f"/move {deal} in_progress")
    await crm.automation.tick()
    status = await say(tg, ada, f"/status {deal}")
    assert ("⏳ Auf Antwort oder Bedingung warten: die Antwort des Kunden, höchstens 2 Tage – "
            "wartet auf die Antwort des Kunden, höchstens bis 25.11.26, 10:00") in \
        status.rendered
    assert "Nachfassen – wartet auf die vorherige Regel" in status.rendered
    clock.advance(hours=5)
    await crm.automation.tick()
    assert not _told(tg, "Carl Client: weiter mit Relaunch")

    await say(tg, carl, "Klingt gut, legen wir los!")
    await crm.automation.tick()
    assert _told(tg, "Carl Client: weiter mit Relaunch")
    status = await say(tg, ada, f"/status {deal}")
    assert "– am 23.11.26, 15:00 weiter: Der Kunde hat geantwortet" in status.rendered

    await say(tg, ada, "/new deal Laden; 500 EUR; Carl Client")  # Carl will not reply
    quiet = (await all_items(crm))[-1]
    await say(tg, ada, f"/move {quiet.id} in_progress")
    await crm.automation.tick()
    clock.advance(days=2, seconds=1)
    await crm.automation.tick()
    assert _told(tg, "Carl Client: weiter mit Laden")
    status = await say(tg, ada, f"/status {quiet.id}")
    assert "– am 25.11.26, 15:00 weiter: Die Wartezeit war abgelaufen" in status.rendered
    assert "✅ Nachfassen – ausgeführt" in status.rendered


def _told(tg: FakeTelegram, text: str) -> bool:
    return any(text in m.rendered for m in tg.messages_to(ADMIN_ID))
