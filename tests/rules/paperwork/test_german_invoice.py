"""What a German invoice needs (§ 14 UStG), read back from the PDF: the date or period of
service, the addressee's postal address, our register details and tax numbers, the IBAN on
one line, and numbers with the prefixes of the settings (German by default in a German
bot), gapless and unique when a prefix changes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from crm.container import CrmServices
from crm.errors import InputProblem, InvalidInput
from crm.models import Company, Staff
from rules.documents.config import Issuer, PaperworkConfig
from rules.documents.create import document_context, document_renderer
from rules.documents.model import DocType, Document
from rules.documents.numbering import document_prefixes
from rules.documents.pdf import render_pdf
from rules.model import RunState
from rules.rendering import Renderer, TemplateSource
from rules.samples import sample_subject
from rules.storage.unit import repos
from tests.rules.conftest import CLIENT_CHAT, TEMPLATES, RecordingTransport, add_rule, stage_id
from tests.rules.paperwork.conftest import Office, build_office, client_with_email, relaunch
from tests.rules.paperwork.test_documents import numbers, pdf_text, run_states

IBAN = "IBAN DE02 1203 0000 0000 2020 51"
FULL_ISSUER = Issuer("Muster GmbH", "Musterstraße 1, 10115 Berlin", "DE123456789",
                     "DE02 1203 0000 0000 2020 51", "BYLADEM1001", "Musterbank",
                     "info@muster.example", "27/123/45678", "Amtsgericht Berlin-Charlottenburg",
                     "HRB 123456", "Max Mustermann, Erika Musterfrau")


def office_in(services: CrmServices, transport: RecordingTransport, folder: Path,
              language: str, **prefixes: str) -> Office:
    chosen = {DocType(k): v for k, v in prefixes.items()}
    paperwork = PaperworkConfig(FULL_ISSUER, Decimal("19"),
                                prefixes=document_prefixes(language, chosen))
    return build_office(services, transport, folder, None, paperwork, language)


async def invoice_rule(services: CrmServices, admin: Staff, office: Office) -> int:
    won = await stage_id(services, "deal", "won")
    await add_rule(office.automation, admin, won, "create_document",
                   {"doc_type": "invoice", "send_to": "client"}, title="Rechnung")
    return won


def lines_with(text: str, word: str) -> list[str]:
    return [line for line in text.splitlines() if word in line]


async def test_a_german_invoice_has_what_the_law_asks_for(
        services: CrmServices, admin: Staff, transport: RecordingTransport,
        tmp_path: Path) -> None:
    office = office_in(services, transport, tmp_path / "documents", "de")
    won = await invoice_rule(services, admin, office)
    contact = await client_with_email(services, language="de")
    async with services.uow() as uow:
        company = await uow.clients.add_company(Company(0, "ACME GmbH"), services.clock.now())
        await uow.commit()
    item = relaunch(contact.id)
    item.company_id = company.id
    deal = await services.items.create(admin, item)
    # Typed as staff type them: the address on two lines, the period with a hyphen.
    holder = await services.addresses.set_for_item(admin, deal.id,
                                                   "Hauptstraße 5\n80331 München")
    assert holder.name == "ACME GmbH" and holder.address == "Hauptstraße 5, 80331 München"
    await services.editing.edit(admin, deal.id, "Leistungsdatum", "01.11.2026 - 30.11.2026")
    await services.items.move(admin, deal.id, won)
    await office.automation.tick()

    [sent] = office.sender.sent
    assert (sent.chat_id, sent.file_name) == (CLIENT_CHAT, "RE-00001.pdf")
    assert sent.caption == "Rechnung RE-00001 – Website relaunch"
    text = pdf_text(sent.content)
    flat = " ".join(text.split())  # the footer's narrow columns wrap long names
    for expected in ("Rechnung RE-00001", "ACME GmbH\nAnna Schmidt\nHauptstraße 5\n80331 München",
                     "Leistungszeitraum 01.11.2026 – 30.11.2026", "Nettobetrag",
                     "zzgl. USt. 19 %", "2.850,00 €", "17.850,00 €",
                     "Geschäftsführung: Max Mustermann, Erika Musterfrau",
                     "Registergericht: Amtsgericht Berlin-Charlottenburg",
                     "Handelsregister: HRB 123456", "USt-IdNr. DE123456789",
                     "Steuernummer 27/123/45678", "BIC BYLADEM1001"):
        assert expected in (text if "\n" in expected else flat), expected
    iban_lines = lines_with(text, "IBAN")
    assert len(iban_lines) == 2  # the payment terms and the footer: whole on each line
    assert all(IBAN in line for line in iban_lines), iban_lines
    for english in ("Invoice", "INV-", "Date of service", "VAT"):
        assert english not in text, english
    await office.automation.stop()


async def test_an_english_invoice_without_a_date_of_service_prints_its_own_date(
        services: CrmServices, admin: Staff, transport: RecordingTransport,
        tmp_path: Path) -> None:
    office = office_in(services, transport, tmp_path / "documents", "en")
    won = await invoice_rule(services, admin, office)
    contact = await client_with_email(services, language="en")
    await services.addresses.set_for_contact(admin, contact.id, "1 Main Street, London SW1A 1AA")
    deal = await services.items.create(admin, relaunch(contact.id))
    await services.items.move(admin, deal.id, won)
    await office.automation.tick()

    [sent] = office.sender.sent
    assert sent.caption == "Invoice INV-00001 — Website relaunch"
    text = pdf_text(sent.content)
    flat = " ".join(text.split())
    for expected in ("Invoice INV-00001", "Anna Schmidt\n1 Main Street\nLondon SW1A 1AA",
                     "Date of service Nov 23, 2026", "Date Nov 23, 2026",
                     "Managing directors: Max Mustermann, Erika Musterfrau",
                     "Register court: Amtsgericht Berlin-Charlottenburg",
                     "Commercial register: HRB 123456", "VAT ID DE123456789",
                     "Tax number 27/123/45678"):
        assert expected in (text if "\n" in expected else flat), expected
    assert all(IBAN in line for line in lines_with(text, "IBAN"))
    for german in ("Rechnung", "Leistungsdatum", "Registergericht", "RE-"):
        assert german not in text, german
    await office.automation.stop()


async def test_a_changed_prefix_keeps_counting_and_never_prints_a_number_twice(
        services: CrmServices, admin: Staff, transport: RecordingTransport,
        tmp_path: Path) -> None:
    contact = await client_with_email(services)
    first = await services.items.create(admin, relaunch(contact.id))
    async with services.uow() as uow:  # an invoice made before INVOICE_PREFIX was set
        documents = repos(uow).documents
        number = await documents.take_number(DocType.INVOICE)
        await documents.add(Document(
            id=0, item_id=first.id, doc_type=DocType.INVOICE, number=number,
            number_text="INV-00001", template="documents/invoice.j2", language="en",
            title=first.title, gross=None, currency="EUR", html="<p>old</p>",
            created_at=services.clock.now(), path="invoice/INV-00001-old.pdf"))
        await uow.commit()

    # INVOICE_PREFIX=RE- from now on, and (carelessly) QUOTE_PREFIX=INV-.
    office = office_in(services, transport, tmp_path / "documents", "en", invoice="RE-",
                       quote="INV-")
    won = await invoice_rule(services, admin, office)
    second = await services.items.create(admin, relaunch(contact.id, "Second"))
    await services.items.move(admin, second.id, won)
    await office.automation.tick()
    assert await numbers(services, first.id) == ["INV-00001"]  # stays as it was
    assert await numbers(services, second.id) == ["RE-00002"]  # no gap

    preparing = await stage_id(services, "deal", "preparing_documents")
    await add_rule(office.automation, admin, preparing, "create_document",
                   {"doc_type": "quote"}, title="Quote")
    third = await services.items.create(admin, relaunch(contact.id, "Third"))
    await services.items.move(admin, third.id, preparing)
    await office.automation.tick()
    # Quote 1 would print INV-00001, an invoice's number: refused, and no number used.
    assert await numbers(services, third.id) == []
    assert await run_states(services, third.id) == [
        ("Quote", RunState.FAILED, "document_number_taken")]
    async with services.uow(write=False) as uow:
        assert await repos(uow).documents.peek_number(DocType.QUOTE) == 1
    await office.automation.stop()


def test_prefixes_default_to_the_bots_language_and_must_differ() -> None:
    assert document_prefixes("de", {}) == {
        DocType.INVOICE: "RE-", DocType.QUOTE: "AN-", DocType.CONTRACT: "VT-"}
    assert document_prefixes("en", {DocType.QUOTE: " OFF- "})[DocType.QUOTE] == "OFF-"
    with pytest.raises(ValueError, match="must differ"):
        document_prefixes("de", {DocType.QUOTE: "RE-"})
    with pytest.raises(ValueError, match="QUOTE_PREFIX"):
        document_prefixes("de", {DocType.QUOTE: "A/B"})


async def test_a_date_of_service_must_be_one(services: CrmServices, admin: Staff) -> None:
    deal = await services.items.create(admin, relaunch(None))
    with pytest.raises(InvalidInput) as refused:
        await services.editing.edit(admin, deal.id, "leistungsdatum", "gestern")
    assert refused.value.problem is InputProblem.NOT_A_SERVICE_DATE
    edited = await services.editing.edit(admin, deal.id, "service_date", "11/2026")
    assert edited.custom["service_date"] == "2026-11-01/2026-11-30"
    edited = await services.editing.edit(admin, deal.id, "leistungsdatum", "15.11.2026")
    assert edited.custom["service_date"] == "2026-11-15"
    edited = await services.editing.edit(admin, deal.id, "leistungsdatum", "-")
    assert "service_date" not in edited.custom


@pytest.mark.parametrize(("language", "expected"), [
    ("de", "und ACME GmbH, Hauptstraße 5, 80331 München (Auftraggeber)"),
    ("en", "and ACME GmbH, Hauptstraße 5, 80331 München (the client)")])
async def test_a_contract_names_the_clients_address(language: str, expected: str) -> None:
    renderer = document_renderer(Renderer(TEMPLATES))
    subject = sample_subject(datetime(2026, 11, 23, 9, tzinfo=UTC))
    assert subject.company is not None
    subject.company.address = "Hauptstraße 5\n80331 München"
    base = renderer.context(subject, language, datetime(2026, 11, 23, 9, tzinfo=UTC))
    context = document_context(base, subject.item, DocType.CONTRACT, "VT-00001", Decimal(19),
                               FULL_ISSUER, 14)
    html = await renderer.render(TemplateSource(name="documents/contract.j2"), context)
    assert expected in " ".join(pdf_text(render_pdf(html)).split())
