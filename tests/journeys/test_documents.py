"""Paperwork in Telegram: a rule's invoice reaches the client as a PDF through the Bot API,
/docs lists an item's documents and sends one again, and an e-mail rule sends through the
SMTP server the settings name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import CrmBot
from bot.documents.callbacks import DocAction, DocCb
from crm.clock import FrozenClock
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import (
    add_rule,
    all_sent,
    count_of,
    deal_with_connected_client,
    stored,
)
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, member, press, press_for_message, say
from tests.rules.paperwork.test_documents import pdf_text
from tests.smtp_server import SmtpServer

WAIT = 15.0  # a first PDF render loads fonts


@pytest.fixture
async def office_bot(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock,
                     smtp: SmtpServer) -> AsyncIterator[CrmBot]:
    settings = make_settings(
        tg, tg.base_url or "", tmp_path, company_name="Muster GmbH",
        company_address="Musterstraße 1, 10115 Berlin", company_iban="DE02120300000000202051",
        tax_rate="19", smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_security="none",
        smtp_from="Muster Sales <sales@muster.example>")
    running = await start_bot(settings, clock)
    yield running.app
    await running.stop()


async def test_an_invoice_reaches_the_client_and_docs_sends_it_again(
        tg: FakeTelegram, office_bot: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(office_bot, ADMIN_ID, "won", "create_document",
                   {"doc_type": "invoice", "send_to": "client"}, title="Invoice")
    deal_id, carl = await deal_with_connected_client(tg, office_bot, ada)

    since = len(tg.sent)
    await say(tg, ada, f"/move {deal_id} won")
    invoice = await tg.wait_for_message(carl.id, lambda m: m.kind == "document", since=since,
                                        timeout=WAIT)
    assert invoice.filename == "INV-00001.pdf" and invoice.document is not None
    assert invoice.rendered == "Invoice INV-00001 — Relaunch"
    text = pdf_text(invoice.document)
    for expected in ("Invoice INV-00001", "Relaunch", "Carl Client", "€15,000.00",
                     "€17,850.00", "Muster GmbH", "IBAN DE02 1203 0000 0000 2020 51"):
        assert expected in text, expected

    # The responsible person is told once the client has it.
    told = await tg.wait_for_message(ada.id, lambda m: m.rendered.startswith("📨"),
                                     since=since, timeout=WAIT)
    assert told.rendered == f"📨 Invoice INV-00001 reached Carl Client (#{deal_id} “Relaunch”)."

    listing = await say(tg, ada, f"/docs {deal_id}")
    assert listing.rendered.startswith(f"📄 Documents of #{deal_id} “Relaunch”\nINV-00001 · "
                                       "Invoice · 11/23/26")
    assert "€17,850.00" in listing.rendered
    again = await press_for_message(tg, ada, listing, "📤 INV-00001")
    assert again.kind == "document" and again.document == invoice.document
    assert again.rendered == "Invoice INV-00001 — Relaunch"
    assert again.button_texts == [f"Open #{deal_id}", "📨 Send to the client"]

    assert (await say(tg, ada, "/docs")).rendered.startswith("Usage: /docs <number>")


async def test_docs_of_an_item_a_salesperson_may_not_see_are_refused(
        tg: FakeTelegram, office_bot: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(office_bot, ADMIN_ID, "won", "create_document", {"doc_type": "quote"},
                   title="Quote")
    deal_id, _carl = await deal_with_connected_client(tg, office_bot, ada)
    await say(tg, ada, f"/move {deal_id} won")

    async def quote_made() -> bool:
        return await count_of(office_bot, "SELECT COUNT(*) FROM documents") == 1

    await stored(quote_made, WAIT)
    sam = await member(tg, ada, 2001, Role.SALES)

    refused = await say(tg, sam, f"/docs {deal_id}")
    assert refused.rendered == "Sorry, you may not see or change this item."
    forged = DocCb(action=DocAction.SEND, document_id=1).pack()
    toast = await press(tg, sam, refused, data=forged, strict=False)
    assert toast.text == "Sorry, you may not see or change this item."
    assert not [m for m in tg.messages_to(sam.id) if m.kind == "document"]
    missing = await say(tg, ada, "/docs 999")
    assert missing.rendered == "I could not find item “999”."


async def test_an_email_rule_sends_through_the_configured_server(
        tg: FakeTelegram, office_bot: CrmBot, smtp: SmtpServer) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/contact Carl Client; ; carl@example.org")
    await add_rule(office_bot, ADMIN_ID, "won", "send_email", {
        "subject": "Invoice for {{ item.title }}", "text": "Dear {{ contact.name }}, attached.",
        "attach": "new", "doc_type": "invoice"}, title="Mail")
    deal_id, _carl = await deal_with_connected_client(tg, office_bot, ada)
    empty = await say(tg, ada, f"/docs {deal_id}")
    assert empty.rendered.startswith(f"No documents for #{deal_id} “Relaunch” yet.")
    await say(tg, ada, f"/move {deal_id} won")
    [mail] = await smtp.mailbox.wait_for(1, WAIT)
    assert mail["To"] == "Carl Client <carl@example.org>"
    assert mail["Subject"] == "Invoice for Relaunch"
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "INV-00001.pdf"
    assert "€17,850.00" in pdf_text(attachment.get_content())
    # The server has the mail; reads no longer wait for the writer, so the status is asked
    # once the outbox has recorded the delivery.
    await all_sent(office_bot, WAIT)
    status = await say(tg, ada, f"/status {deal_id}")
    assert "✅ Mail — executed" in status.rendered
