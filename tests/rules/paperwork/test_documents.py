"""Create document: an HTML template becomes a PDF kept with the item and sent through the
outbox; numbers per type without gaps; test mode creates nothing."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pytest

from crm.container import CrmServices
from crm.models import Item, Staff
from rules.documents.model import DocState, DocType
from rules.documents.pdf import render_pdf
from rules.errors import RuleInvalid, TemplateProblem
from rules.model import RunState
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID
from tests.rules.conftest import CLIENT_CHAT, add_rule, stage_id
from tests.rules.paperwork.conftest import Office, client_with_email, pdf_files, read, relaunch


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text.replace("\xa0", " ").replace("\u202f", " ")  # Babel's non-breaking spaces


async def run_states(services: CrmServices, item_id: int) -> list[tuple[str, RunState, str]]:
    async with services.uow(write=False) as uow:
        return [(r.rule_title, r.state, r.reason_code or "")
                for r in await repos(uow).runs.for_item(item_id)]


async def numbers(services: CrmServices, item_id: int) -> list[str]:
    async with services.uow(write=False) as uow:
        return [d.number_text for d in reversed(await repos(uow).documents.for_item(item_id))]


async def deal_and_won_rule(services: CrmServices, admin: Staff, office: Office,
                            params: dict[str, Any], title: str,
                            language: str = "en") -> tuple[Item, int]:
    """A create-document rule on the deal pipeline's won stage, and a deal (not moved yet)
    of a client with an e-mail address; returns the deal and the won stage's id."""
    won = await stage_id(services, "deal", "won")
    await add_rule(office.automation, admin, won, "create_document", params, title=title)
    contact = await client_with_email(services, language=language)
    return await services.items.create(admin, relaunch(contact.id)), won


async def test_an_invoice_reaches_the_client_as_a_pdf_with_title_and_total(
        services: CrmServices, admin: Staff, office: Office) -> None:
    deal, won = await deal_and_won_rule(services, admin, office,
                                        {"doc_type": "invoice", "send_to": "client"}, "Invoice")
    await services.items.move(admin, deal.id, won)
    await office.automation.tick()

    [sent] = office.sender.sent
    assert (sent.chat_id, sent.file_name) == (CLIENT_CHAT, "INV-00001.pdf")
    assert sent.caption == "Invoice INV-00001 — Website relaunch"
    assert sent.buttons == []  # a client gets no staff buttons
    text = pdf_text(sent.content)
    for expected in ("Invoice INV-00001", "Website relaunch", "Anna Schmidt", "Design",
                     "€15,000.00", "VAT 19 %", "€2,850.00", "€17,850.00", "Muster GmbH",
                     "IBAN DE02 1203 0000 0000 2020 51", "DE123456789"):
        assert expected in text, expected
    async with services.uow(write=False) as uow:
        [doc] = await repos(uow).documents.for_item(deal.id)
    assert doc.state is DocState.READY and str(doc.gross) == "17850.00"
    assert read(office.folder / doc.path) == sent.content and doc.size == len(sent.content)
    assert await run_states(services, deal.id) == [("Invoice", RunState.DONE, "")]


async def test_a_document_in_german_for_a_german_client(
        services: CrmServices, admin: Staff, office: Office) -> None:
    deal, won = await deal_and_won_rule(
        services, admin, office, {"doc_type": "quote", "send_to": "responsible", "due_days": 30},
        "Q", language="de")
    await services.items.move(admin, deal.id, won)
    await office.automation.tick()

    [sent] = office.sender.sent
    assert sent.chat_id == ADMIN_ID and sent.caption == "Quote QUO-00001 — Website relaunch"
    assert sent.buttons == [[{"text": f"Open #{deal.id}", "item_id": deal.id}],
                            [{"text": "📨 Send to the client", "to_client_document_id": 1}]]
    text = pdf_text(sent.content)
    for expected in ("Angebot QUO-00001", "Gültig bis", "23.12.2026", "17.850,00 €",
                     "zzgl. USt. 19 %"):
        assert expected in text, expected


async def test_numbers_run_per_type_without_gaps_even_when_a_run_fails(
        services: CrmServices, admin: Staff, office: Office) -> None:
    preparing = await stage_id(services, "deal", "preparing_documents")
    await add_rule(office.automation, admin, preparing, "create_document",
                   {"doc_type": "quote"}, title="Quote")
    await add_rule(office.automation, admin, preparing, "create_document",
                   {"doc_type": "invoice", "send_to": "responsible",
                    "caption": "For {{ contact.name }}"}, title="Invoice")
    contact = await client_with_email(services)
    first = await services.items.create(admin, relaunch(contact.id, "First"))
    await services.items.move(admin, first.id, preparing)
    await office.automation.tick()
    # No contact: the invoice's caption fails after its number was taken — and gives it back.
    second = await services.items.create(admin, relaunch(None, "Second"))
    await services.items.move(admin, second.id, preparing)
    await office.automation.tick()
    third = await services.items.create(admin, relaunch(contact.id, "Third"))
    await services.items.move(admin, third.id, preparing)
    await office.automation.tick()

    assert await numbers(services, first.id) == ["QUO-00001", "INV-00001"]
    assert await numbers(services, second.id) == ["QUO-00002"]
    assert await numbers(services, third.id) == ["QUO-00003", "INV-00002"]
    states = await run_states(services, second.id)
    assert states == [("Quote", RunState.DONE, ""),
                      ("Invoice", RunState.FAILED, "template_error")]
    assert [s.file_name for s in office.sender.sent] == ["INV-00001.pdf", "INV-00002.pdf"]
    assert "Third" in pdf_text(office.sender.sent[1].content)
    assert pdf_files(office.folder) == ["INV-00001", "INV-00002", "QUO-00001", "QUO-00002",
                                        "QUO-00003"]


async def test_test_mode_shows_the_document_without_creating_anything(
        services: CrmServices, admin: Staff, office: Office) -> None:
    deal, won = await deal_and_won_rule(services, admin, office,
                                        {"doc_type": "invoice", "send_to": "client"}, "Invoice")

    preview = await office.automation.test_mode.preview(admin, deal.id, won)
    [rule] = preview.rules
    assert rule.failure is None
    assert [(p.action, p.recipient, p.role, p.chat_id) for p in rule.previews] == [
        ("change", "create Invoice INV-00001 (documents/invoice.j2, en)", "data", None),
        ("document", "send Invoice INV-00001 as PDF to Anna Schmidt", "document", CLIENT_CHAT),
    ]
    assert rule.previews[1].payload["caption"] == "Invoice INV-00001 — Website relaunch"
    [draft] = rule.drafts  # what the tester may get as a PDF
    assert draft.number == "INV-00001" and "Website relaunch" in draft.html
    await office.automation.tick()
    async with services.uow(write=False) as uow:
        assert await repos(uow).documents.for_item(deal.id) == []
        assert await repos(uow).documents.peek_number(DocType.INVOICE) == 1
        assert await repos(uow).outbox.counts() == {}
    assert office.sender.sent == [] and pdf_files(office.folder) == []


def test_a_template_cannot_pull_local_files_into_the_pdf() -> None:
    html = ('<p>Offer</p><link rel="attachment" href="file:///etc/hostname">'
            '<a rel="attachment" href="file:///etc/passwd">terms</a>'
            '<img src="file:///etc/passwd">')
    reader = pypdf.PdfReader(io.BytesIO(render_pdf(html)))
    assert reader.attachments == {}
    assert "Offer" in reader.pages[0].extract_text()


async def test_a_rule_with_a_missing_template_or_half_a_recipient_is_not_saved(
        services: CrmServices, admin: Staff, office: Office) -> None:
    won = await stage_id(services, "deal", "won")
    with pytest.raises(TemplateProblem) as missing:
        await add_rule(office.automation, admin, won, "create_document",
                       {"doc_type": "invoice", "template": "documents/nope.j2"})
    assert missing.value.params["reason"] == "template_not_found"
    with pytest.raises(RuleInvalid) as invalid:
        await add_rule(office.automation, admin, won, "create_document",
                       {"doc_type": "invoice", "send_to": "team_chat"})
    assert "team_chat_id" in str(invalid.value.params["errors"])
    saved = await add_rule(office.automation, admin, won, "create_document",
                           {"doc_type": "contract", "caption": "Contract for {{ item.title }}"})
    assert saved.title == "Create a document: Contract"
