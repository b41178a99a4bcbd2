"""Paperwork a German business sends, through the bot and the fake Bot API: the client's
address and the date of service typed in the chat end up on the invoice with our register
details and the German number prefix; "📨 Send to the client" under a PDF sent to staff and
in /docs sends it to the client in their language, and the salesperson is told once it has
arrived; a client who has not connected yet gets nothing, and the salesperson their link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import CrmBot
from crm.clock import FrozenClock
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.records import SentMessage
from tests.journeys.automation_steps import CLIENT_ID, add_rule, count_of, stored
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, all_items, press, press_for_message, say
from tests.rules.paperwork.test_documents import pdf_text

WAIT = 15.0  # a first PDF render loads fonts
IBAN = "IBAN DE02 1203 0000 0000 2020 51"


@pytest.fixture
async def german_office(tg: FakeTelegram, tmp_path: Path,
                        clock: FrozenClock) -> AsyncIterator[CrmBot]:
    settings = make_settings(
        tg, tg.base_url or "", tmp_path, company_name="Muster GmbH",
        company_address="Musterstraße 1, 10115 Berlin", company_iban="DE02120300000000202051",
        company_tax_id="DE123456789", company_tax_number="27/123/45678",
        company_register_court="Amtsgericht Berlin-Charlottenburg",
        company_register_number="HRB 123456", company_managing_directors="Max Mustermann",
        invoice_prefix="RE-", quote_prefix="AN-", contract_prefix="VT-")
    running = await start_bot(settings, clock)
    yield running.app
    await running.stop()


def is_document(message: SentMessage) -> bool:
    return message.kind == "document"


async def german_deal(tg: FakeTelegram, crm: CrmBot, ada_id: int) -> int:
    ada = tg.user(ada_id)
    await say(tg, ada, "/new deal Relaunch; 15.000 EUR; Carl Client")
    return (await all_items(crm))[-1].id


async def connect_carl(tg: FakeTelegram, crm: CrmBot, deal_id: int) -> int:
    deal = next(i for i in await all_items(crm) if i.id == deal_id)
    assert deal.contact_id is not None
    carl = tg.user(CLIENT_ID, "Carl", "Client", language_code="de")
    connected = await say(tg, carl, f"/start {crm.links.payload(deal.contact_id)}")
    assert "verbunden" in connected.rendered, connected.rendered
    return carl.id


async def test_a_german_invoice_sent_on_to_the_client_and_the_salesperson_told(
        tg: FakeTelegram, german_office: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/language de")  # the engine writes to staff in their chosen language
    await add_rule(german_office, ADMIN_ID, "won", "create_document",
                   {"doc_type": "invoice", "send_to": "responsible", "language": "de"},
                   title="Rechnung")
    deal_id = await german_deal(tg, german_office, ada.id)
    saved = await say(tg, ada, f"/edit {deal_id} Anschrift Hauptstraße 5, 80331 München")
    assert "Gespeichert." in saved.rendered
    refused = await say(tg, ada, f"/edit {deal_id} Leistungsdatum gestern")
    assert refused.rendered == (
        "„gestern“ kann ich nicht als Leistungsdatum lesen. Schreiben Sie einen Tag "
        "(15.11.2026), einen Zeitraum (01.11.2026 - 30.11.2026) oder einen Monat (11/2026).")
    card = await say(tg, ada, f"/edit {deal_id} Leistungsdatum 01.11.2026 - 30.11.2026")
    assert "Leistungszeitraum: 01.11.2026 – 30.11.2026" in card.rendered
    carl = await connect_carl(tg, german_office, deal_id)

    since = len(tg.sent)
    await say(tg, ada, f"/move {deal_id} won")
    mine = await tg.wait_for_message(ada.id, is_document, since=since, timeout=WAIT)
    assert mine.filename == "RE-00001.pdf" and mine.document is not None
    assert mine.rendered == "Rechnung RE-00001 – Relaunch"
    assert mine.button_texts == [f"#{deal_id} öffnen", "📨 An den Kunden senden"]
    text = pdf_text(mine.document)
    flat = " ".join(text.split())
    for expected in ("Rechnung RE-00001", "Carl Client\nHauptstraße 5\n80331 München",
                     "Leistungszeitraum 01.11.2026 – 30.11.2026", "15.000,00 €",
                     "zzgl. USt. 19 %", "17.850,00 €", "Geschäftsführung: Max Mustermann",
                     "Registergericht: Amtsgericht Berlin-Charlottenburg",
                     "Handelsregister: HRB 123456", "USt-IdNr. DE123456789",
                     "Steuernummer 27/123/45678"):
        assert expected in (text if "\n" in expected else flat), expected
    assert all(IBAN in line for line in text.splitlines() if "IBAN" in line)
    assert not [m for m in tg.messages_to(carl) if is_document(m)]  # not sent on yet

    since = len(tg.sent)
    toast = await press(tg, ada, mine, "📨 An den Kunden senden")
    assert toast.text == ("RE-00001 wird an Carl Client gesendet. Sie erfahren es hier, sobald "
                          "das Dokument angekommen ist.")
    to_carl = await tg.wait_for_message(carl, is_document, since=since, timeout=WAIT)
    assert to_carl.document == mine.document and to_carl.filename == "RE-00001.pdf"
    assert to_carl.rendered == "Rechnung RE-00001 – Relaunch" and to_carl.button_texts == []
    told = await tg.wait_for_message(ada.id, lambda m: m.rendered.startswith("📨"),
                                     since=since, timeout=WAIT)
    assert told.rendered == (f"📨 Rechnung RE-00001 ist bei Carl Client angekommen "
                             f"(#{deal_id} „Relaunch“).")

    listing = await say(tg, ada, f"/docs {deal_id}")
    assert listing.button_texts == ["📤 RE-00001", "📨 RE-00001 an den Kunden"]
    since = len(tg.sent)
    await press(tg, ada, listing, "📨 RE-00001 an den Kunden")
    again = await tg.wait_for_message(carl, is_document, since=since, timeout=WAIT)
    assert again.filename == "RE-00001.pdf"


async def test_a_client_who_has_not_connected_gets_nothing_and_the_salesperson_the_link(
        tg: FakeTelegram, german_office: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(german_office, ADMIN_ID, "won", "create_document", {"doc_type": "quote"},
                   title="Quote")
    deal_id = await german_deal(tg, german_office, ada.id)
    await say(tg, ada, f"/move {deal_id} won")

    async def quote_made() -> bool:  # stored a moment after the move's answer
        return await count_of(german_office, "SELECT COUNT(*) FROM documents") == 1

    await stored(quote_made, WAIT)
    listing = await say(tg, ada, f"/docs {deal_id}")
    assert listing.button_texts == ["📤 AN-00001", "📨 AN-00001 to the client"]
    answer = await press_for_message(tg, ada, listing, "📨 AN-00001 to the client")
    assert answer.rendered.startswith(
        "Carl Client has not connected to the bot yet, so I cannot send them AN-00001. "
        "Send them this link — once they have opened it, press the button again:\n"
        "https://t.me/")
    assert answer.button_texts == ["📤 Share the link"]
    assert not [m for m in tg.sent if is_document(m)]
