"""Test mode and stopping automation, as staff use them in the chat."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import CrmBot
from crm.clock import FrozenClock
from rules.model import Timing, TimingMode
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule, all_sent, count_of, deal_with_connected_client
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, press, say
from tests.rules.paperwork.test_documents import pdf_text
from tests.smtp_server import SmtpServer

WAIT = 15.0  # a first PDF render loads fonts


@pytest.fixture
async def german_office(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock,
                        smtp: SmtpServer) -> AsyncIterator[CrmBot]:
    """A German business: documents, e-mail and webhooks set up."""
    settings = make_settings(
        tg, tg.base_url or "", tmp_path, company_name="Muster GmbH",
        company_address="Musterstraße 1, 10115 Berlin", company_iban="DE02120300000000202051",
        tax_rate="19", smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_security="none",
        smtp_from="Muster Vertrieb <vertrieb@muster.example>", webhooks_allow_private=True,
    ).model_copy(update={"default_language": "de"})
    running = await start_bot(settings, clock)
    yield running.app
    await running.stop()


async def test_test_mode_shows_and_sends_everything_also_for_a_client_not_connected_yet(
        tg: FakeTelegram, german_office: CrmBot, smtp: SmtpServer) -> None:
    crm = german_office
    ada = await admin(tg, language_code="de")
    await add_rule(crm, ADMIN_ID, "won", "message_client",
                   {"text": "Danke, <b>{{ contact.name }}</b>!"}, title="Danke")
    await add_rule(crm, ADMIN_ID, "won", "create_document",
                   {"doc_type": "invoice", "send_to": "client"}, title="Rechnung")
    await add_rule(crm, ADMIN_ID, "won", "send_email",
                   {"subject": "Ihr Auftrag {{ item.title }}", "text": "Vielen Dank!"},
                   title="E-Mail")
    await add_rule(crm, ADMIN_ID, "won", "webhook",
                   {"url": "http://127.0.0.1:9/hook", "secret": "s" * 16}, title="Buchhaltung")
    await say(tg, ada, "/new deal Relaunch; 15.000 EUR; Dora Offline")
    async with crm.services.uow() as uow:  # Dora gave her e-mail address, not her chat
        await uow.conn.execute("UPDATE contacts SET email = 'dora@example.org'")
        await uow.commit()

    since = len(tg.sent)
    ada.send("/rules test 1 gewonnen")
    offer = await tg.wait_for_message(ADMIN_ID, lambda m: "als Test markiert" in m.rendered,
                                      since=since)
    thanks, invoice, email, hook = [m.rendered for m in tg.sent[since:]
                                    if m.chat_id == ADMIN_ID][1:5]
    assert "⏳ Dora Offline hat den Bot noch nicht gestartet. Die Regel wartet darauf und " \
           "läuft, sobald Dora Offline diesen Link öffnet: https://t.me/" in thanks
    assert "→ an Dora Offline (de):\nDanke, Dora Offline!" in thanks
    assert "❌" not in thanks and "⏳ Dora Offline" in invoice
    assert "→ würde: Rechnung RE-00001 als PDF an Dora Offline senden" in invoice
    assert "E-Mail an dora@example.org: „Ihr Auftrag Relaunch“" in email
    assert "Vielen Dank!" in email
    assert "http://127.0.0.1:9/hook" in hook

    toast = await press(tg, ada, offer, "📨 Alles an mich senden")
    assert toast.text == "Unterwegs zu Ihnen, als Test markiert: 1 Nachricht, 1 Dokument als " \
                         "PDF, 1 E-Mail, 1 Webhook-Aufruf, 1 Datenänderung."
    pdf = await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "document", since=since,
                                    timeout=WAIT)
    assert pdf.filename == "RE-00001-TEST.pdf" and pdf.document is not None
    assert pdf.rendered.startswith("🧪 Test · „Rechnung“: Rechnung RE-00001 als PDF an Dora "
                                   "Offline senden")
    text = pdf_text(pdf.document)
    for expected in ("TEST", "Rechnung", "RE-00001", "Dora Offline", "Muster GmbH"):
        assert expected in text, expected
    await all_sent(crm, WAIT)
    got = [m.rendered for m in tg.messages_to(ADMIN_ID)[-6:] if m.kind == "message"]
    assert "🧪 Test · „Danke“: Nachricht an Dora Offline\n\nDanke, Dora Offline!" in got
    assert any(m.startswith("🧪 Test · „E-Mail“: E-Mail an dora@example.org") and
               m.endswith("Vielen Dank!") for m in got)
    assert any(m.startswith("🧪 Test · „Buchhaltung“: ") and "Relaunch" in m for m in got)
    assert any(m.startswith("🧪 Test · „Rechnung“: Folgendes würde sich außerdem ändern")
               for m in got)
    # nothing went anywhere else, and nothing was kept
    assert smtp.mailbox.received == []
    assert await count_of(crm, "SELECT COUNT(*) FROM documents") == 0
    assert await count_of(crm, "SELECT COUNT(*) FROM outbox WHERE chat_id != 1001") == 0


async def test_test_mode_shows_each_rule_and_sends_nothing_to_the_client(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client",
                   {"text": "Danke, <b>{{ contact.name }}</b>!"}, title="Thank")
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Big one!"},
                   title="Big", condition={"all": [{"field": "amount", "op": ">=",
                                                    "value": "100000"}]})
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    client_messages = len(tg.messages_to(carl.id))

    since = len(tg.sent)
    ada.send(f"/rules test {deal_id} won")
    offer = await tg.wait_for_message(ADMIN_ID, lambda m: "as the recipients" in m.rendered,
                                      since=since)
    reports = [m.rendered for m in tg.sent[since:] if m.chat_id == ADMIN_ID]
    assert "nothing was sent to anyone and nothing was changed" in reports[0]
    assert "1. Thank" in reports[1] and "→ to Carl Client (en):" in reports[1]
    assert "Danke, Carl Client!" in reports[1]
    assert "✗ condition not met: amount 15,000 < 100,000" in reports[2]

    toast = await press(tg, ada, offer, "📨 Send all of it to me")
    assert toast.text == "On its way to you, marked as a test: 1 message."
    echo = await tg.wait_for_message(ADMIN_ID, lambda m: "Danke, Carl" in m.rendered)
    assert echo.text == "🧪 <i>Test · “Thank”: message to Carl Client</i>\n\n" \
                        "Danke, <b>Carl Client</b>!"
    await tg.wait_until_idle()
    assert len(tg.messages_to(carl.id)) == client_messages
    card = await say(tg, ada, f"/item {deal_id}")
    assert "▶️ New" in card.rendered  # the item did not move


async def test_stop_keeps_waiting_rules_from_running(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Review us!"},
                   title="Review", timing=Timing(mode=TimingMode.DELAY, amount=1, unit="days"))
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    await say(tg, ada, f"/move {deal_id} won")
    stopped = await say(tg, ada, f"/stop {deal_id}")
    assert "stopped in its current stage (1 waiting rule will not run)" in stopped.rendered
    clock.advance(days=2)
    crm.automation.runs.wake()
    await tg.wait_until_idle()
    assert "Review us!" not in [m.rendered for m in tg.messages_to(carl.id)]
    status = await say(tg, ada, f"/status {deal_id}")
    assert "⏹ Automation is stopped for this item in this stage." in status.rendered
    assert "⏹ Review — automation was stopped by Ada Admin" in status.rendered


async def test_leaving_the_stage_cancels_the_rule_still_waiting_there(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Review us!"},
                   title="Review", timing=Timing(mode=TimingMode.DELAY, amount=2, unit="hours"))
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    await say(tg, ada, f"/move {deal_id} won")
    await say(tg, ada, f"/move {deal_id} lost; No response")  # lost needs a reason (issue 12)
    clock.advance(hours=3)
    crm.automation.runs.wake()
    await tg.wait_until_idle()
    assert "Review us!" not in [m.rendered for m in tg.messages_to(carl.id)]
    status = await say(tg, ada, f"/status {deal_id}")
    assert "Earlier in “Won”:" in status.rendered
    assert "✖️ Review — cancelled: the item left the stage before the rule ran" in status.rendered
