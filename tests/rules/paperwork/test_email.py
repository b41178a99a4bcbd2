"""Send e-mail: through a real SMTP server on loopback (aiosmtpd), with a PDF attached;
refusals fail the run with the server's words, network trouble is retried."""

from __future__ import annotations

from pathlib import Path

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Staff
from rules.model import Execution, RunState
from rules.reasons import reason_text
from rules.storage.unit import repos
from tests.rules.conftest import RecordingTransport, add_rule, stage_id
from tests.rules.paperwork.conftest import (
    SENDER,
    Office,
    build_office,
    client_with_email,
    pdf_files,
    relaunch,
)
from tests.rules.paperwork.test_documents import pdf_text, run_states
from tests.smtp_server import SmtpServer

OFFER = {"subject": "Your quote for {{ item.title }}", "attach": "latest", "doc_type": "quote",
         "text": "Dear {{ contact.name }},\nplease find our <b>quote</b> attached.\n"
                 "Total: {{ item.amount|money }} net."}


async def failure(services: CrmServices, item_id: int) -> str:
    async with services.uow(write=False) as uow:
        run = (await repos(uow).runs.for_item(item_id))[-1]
    return reason_text(run.reason_code, run.reason_params, "en", run.rule_kind)


async def test_the_email_arrives_with_the_quote_an_earlier_rule_created(
        services: CrmServices, admin: Staff, office: Office, smtp: SmtpServer) -> None:
    preparing = await stage_id(services, "deal", "preparing_documents")
    await add_rule(office.automation, admin, preparing, "create_document",
                   {"doc_type": "quote"}, title="Quote")
    await add_rule(office.automation, admin, preparing, "send_email", OFFER, title="Mail",
                   execution=Execution.AFTER_PREVIOUS)
    contact = await client_with_email(services)
    deal = await services.items.create(admin, relaunch(contact.id))
    await services.items.move(admin, deal.id, preparing)
    await office.automation.tick()
    await office.automation.tick()  # the e-mail rule waited for the quote's run

    [mail] = smtp.mailbox.received
    assert mail["To"] == "Anna Schmidt <anna@example.org>" and mail["From"] == SENDER
    assert mail["Subject"] == "Your quote for Website relaunch"
    assert mail["Message-ID"].startswith("<run.") and mail["Message-ID"].endswith(
        "@muster.example>")
    assert smtp.mailbox.envelopes[0].rcpt_tos == ["anna@example.org"]
    plain, rich = mail.get_body(("plain",)), mail.get_body(("html",))
    assert plain is not None and rich is not None
    text = plain.get_content()
    assert text.replace("\r\n", "\n").strip() == (
        "Dear Anna Schmidt,\nplease find our quote attached.\nTotal: €15,000.00 net.")
    html = rich.get_content()
    assert "our <b>quote</b> attached.<br>" in html
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "QUO-00001.pdf"
    assert attachment.get_content_type() == "application/pdf"
    pdf = pdf_text(attachment.get_content())
    assert "Quote QUO-00001" in pdf and "Website relaunch" in pdf and "€17,850.00" in pdf
    assert await run_states(services, deal.id) == [("Quote", RunState.DONE, ""),
                                                   ("Mail", RunState.DONE, "")]
    # The quote was rendered once, for the e-mail, and kept.
    assert pdf_files(office.folder) == ["QUO-00001"]


async def test_an_email_can_create_its_own_invoice_to_attach(
        services: CrmServices, admin: Staff, office: Office, smtp: SmtpServer) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(office.automation, admin, won, "send_email", {
        "subject": "Rechnung {{ item.title }}", "language": "de", "attach": "new",
        "doc_type": "invoice", "text": "Guten Tag {{ contact.name }}, anbei die Rechnung."},
        title="Invoice mail")
    contact = await client_with_email(services)
    deal = await services.items.create(admin, relaunch(contact.id))
    await services.items.move(admin, deal.id, won)
    await office.automation.tick()

    [mail] = smtp.mailbox.received
    assert mail["Subject"] == "Rechnung Website relaunch"
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "INV-00001.pdf"
    assert "Rechnung INV-00001" in pdf_text(attachment.get_content())


async def test_no_email_address_fails_with_that_reason(
        services: CrmServices, admin: Staff, office: Office, smtp: SmtpServer) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(office.automation, admin, won, "send_email", {**OFFER, "attach": "none"},
                   title="Mail")
    contact = await client_with_email(services, email=None)
    deal = await services.items.create(admin, relaunch(contact.id))
    await services.items.move(admin, deal.id, won)
    await office.automation.tick()
    assert await failure(services, deal.id) == "Anna Schmidt has no e-mail address"
    assert smtp.mailbox.received == []


async def test_without_a_mail_server_the_run_fails_saying_so(
        services: CrmServices, admin: Staff, transport: RecordingTransport,
        tmp_path: Path) -> None:
    unconfigured = build_office(services, transport, tmp_path / "documents", smtp_port=None)
    try:
        won = await stage_id(services, "deal", "won")
        await add_rule(unconfigured.automation, admin, won, "send_email",
                       {**OFFER, "attach": "none"}, title="Mail")
        contact = await client_with_email(services)
        deal = await services.items.create(admin, relaunch(contact.id))
        await services.items.move(admin, deal.id, won)
        await unconfigured.automation.tick()
        assert await failure(services, deal.id) == (
            "no mail server is set up (SMTP_HOST) — ask your admin")
    finally:
        await unconfigured.automation.stop()


async def test_a_refusing_server_fails_the_run_and_a_missing_one_is_retried(
        services: CrmServices, admin: Staff, office: Office, smtp: SmtpServer,
        clock: FrozenClock) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(office.automation, admin, won, "send_email", {**OFFER, "attach": "none"},
                   title="Mail")
    contact = await client_with_email(services)
    smtp.mailbox.refuse = "550 5.1.1 <anna@example.org>: mailbox unavailable"
    first = await services.items.create(admin, relaunch(contact.id))
    await services.items.move(admin, first.id, won)
    await office.automation.tick()
    assert await failure(services, first.id) == (
        "the mail server refused the e-mail to anna@example.org: "
        "550 5.1.1 <anna@example.org>: mailbox unavailable")

    smtp.mailbox.refuse = None
    await smtp.stop()  # nobody listens on the port: a network error, tried again later
    second = await services.items.create(admin, relaunch(contact.id, "Second"))
    await services.items.move(admin, second.id, won)
    await office.automation.tick()
    assert await run_states(services, second.id) == [("Mail", RunState.RUNNING, "")]
    async with services.uow(write=False) as uow:
        [row] = [r for r in await repos(uow).outbox.for_run(
            (await repos(uow).runs.for_item(second.id))[0].id)]
    assert row.attempts == 1 and row.last_error and "Connect" in row.last_error

    await smtp.start()
    clock.advance(seconds=2)
    await office.automation.tick()
    assert [m["Subject"] for m in smtp.mailbox.received] == ["Your quote for Second"]
    assert await run_states(services, second.id) == [("Mail", RunState.DONE, "")]


async def test_test_mode_shows_the_email_without_sending(
        services: CrmServices, admin: Staff, office: Office, smtp: SmtpServer) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(office.automation, admin, won, "send_email", OFFER, title="Mail")
    contact = await client_with_email(services)
    deal = await services.items.create(admin, relaunch(contact.id))
    preview = await office.automation.test_mode.preview(admin, deal.id, won)
    [rule] = preview.rules
    assert rule.failure is None
    assert [p.recipient for p in rule.previews] == [
        "e-mail to anna@example.org: “Your quote for Website relaunch” with the Quote an "
        "earlier rule creates attached"]
    await office.automation.tick()
    assert smtp.mailbox.received == []
