"""Fixtures for paperwork and e-mail: the engine with the real document transport (PDFs
under a temp DATA_DIR), a recording Telegram document sender, and a real SMTP server on
loopback (aiosmtpd) whose mailbox the tests read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

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
class Mailbox:
    """An aiosmtpd handler: keeps what arrives; `refuse` answers RCPT with that instead."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Envelope] = field(default_factory=list)
    refuse: str | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_for(self, count: int, timeout: float) -> list[EmailMessage]:  # noqa: ASYNC109
        """What arrived, once `count` e-mails are there; TimeoutError when they are not."""
        async with asyncio.timeout(timeout):
            while len(self.received) < count:
                self.changed.clear()
                await self.changed.wait()
        return self.received

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        content = envelope.original_content or b""
        self.received.append(message_from_bytes(content, policy=policy.default))  # type: ignore[arg-type]
        self.changed.set()
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    mailbox: Mailbox
    port: int
    server: asyncio.Server | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        self.server = await loop.create_server(
            lambda: SMTP(self.mailbox, hostname="mail.test"), "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpServer]:
    server = SmtpServer(Mailbox(), 0)
    await server.start()
    yield server
    await server.stop()


@dataclass
class Office:
    automation: Automation
    sender: RecordingSender
    folder: Path


def build_office(services: CrmServices, transport: RecordingTransport, folder: Path,
                 smtp_port: int | None) -> Office:
    """The engine as bot/automation_setup.py builds it, with the paperwork transports."""
    paperwork = PaperworkConfig(ISSUER, Decimal("19"), email_ready=smtp_port is not None)
    config = EngineConfig(timezone="Europe/Berlin", default_language="en",
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
