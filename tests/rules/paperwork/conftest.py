"""Fixtures for paperwork and e-mail: the engine with the real document transport (PDFs
under a temp DATA_DIR), a recording Telegram document sender, and the e-mail transport to
the real SMTP server on loopback (the `smtp` fixture, tests/smtp_server.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from crm.container import CrmServices
from crm.models import Contact, Product
from crm.services.items import NewItem
from rules.config import EngineConfig
from rules.container import Automation, build_automation
from rules.documents.config import Issuer, PaperworkConfig
from rules.documents.files import DocumentFiles
from rules.documents.transport import DocumentTransport
from rules.email.config import SmtpConfig
from rules.email.transport import EmailTransport
from rules.outbox.pacing import Pacer
from rules.rendering import Renderer
from rules.timing import WorkingHours
from tests.rules.conftest import CLIENT_CHAT, TEMPLATES, RecordingTransport
from tests.smtp_server import SmtpServer

ISSUER = Issuer("Muster GmbH", "Musterstraße 1, 10115 Berlin", "DE123456789",
                "DE02120300000000202051", "BYLADEM1001", "Musterbank", "info@muster.example")
SENDER = "Muster Sales <sales@muster.example>"


def read(path: Path) -> bytes:
    return path.read_bytes()


def pdf_files(folder: Path) -> list[str]:
    """The PDFs kept under the documents folder, by their number (names end in a token)."""
    return sorted(p.name.rsplit("-", 1)[0] for p in folder.rglob("*.pdf"))


@dataclass
class SentDocument:
    chat_id: int
    file_name: str
    content: bytes
    caption: str
    buttons: list[list[dict[str, Any]]]


@dataclass
class RecordingSender:
    """Stands in for Telegram's sendDocument (journeys use the fake Bot API server)."""

    sent: list[SentDocument] = field(default_factory=list)

    async def send_document(self, chat_id: int, path: Path, file_name: str, caption: str,
                            buttons: list[list[dict[str, Any]]]) -> int:
        self.sent.append(SentDocument(chat_id, file_name, read(path), caption, buttons))
        return 5000 + len(self.sent)


@dataclass
class Office:
    automation: Automation
    sender: RecordingSender
    folder: Path


def build_office(services: CrmServices, transport: RecordingTransport, folder: Path,
                 smtp_port: int | None, paperwork: PaperworkConfig | None = None,
                 default_language: str = "en") -> Office:
    """The engine as bot/composition.py builds it, with the paperwork transports."""
    paperwork = paperwork or PaperworkConfig(ISSUER, Decimal("19"),
                                             email_ready=smtp_port is not None)
    config = EngineConfig(timezone="Europe/Berlin", default_language=default_language,
                          working_hours=WorkingHours("Europe/Berlin"), paperwork=paperwork,
                          start_link=lambda contact_id: f"https://t.me/b?start=c{contact_id}")
    renderer = Renderer(TEMPLATES, timezone="Europe/Berlin")
    files = DocumentFiles(folder, services.uow, services.clock)
    sender = RecordingSender()
    transports: dict[str, Any] = {"telegram": transport,
                                  "document": DocumentTransport(files, sender)}
    if smtp_port is not None:
        smtp = SmtpConfig(host="127.0.0.1", port=smtp_port, sender=SENDER, security="none",
                          timeout=5)
        transports["email"] = EmailTransport(smtp, services.clock, files)
    automation = build_automation(services, config, renderer, transports,
                                  pacer=Pacer(per_second=10_000, chat_interval=0.0))
    return Office(automation, sender, folder)


@pytest.fixture
async def office(services: CrmServices, transport: RecordingTransport, tmp_path: Path,
                 smtp: SmtpServer) -> AsyncIterator[Office]:
    built = build_office(services, transport, tmp_path / "documents", smtp.port)
    yield built
    await built.automation.stop()


async def client_with_email(services: CrmServices, email: str | None = "anna@example.org",
                            language: str = "en") -> Contact:
    async with services.uow() as uow:
        contact = await uow.clients.add_contact(
            Contact(0, "Anna Schmidt", email=email, tg_chat_id=CLIENT_CHAT, language=language),
            services.clock.now())
        await uow.commit()
    return contact


def relaunch(contact_id: int | None, title: str = "Website relaunch") -> NewItem:
    """A deal with two products: 2 × 5,000 + 1 × 5,000 = 15,000 net, 17,850 gross."""
    return NewItem("deal", title, contact_id=contact_id, products=[
        Product("Design", Decimal("5000"), Decimal(2)), Product("Hosting", Decimal("5000"))])
