"""A real SMTP server on loopback (aiosmtpd) whose mailbox the e-mail tests read."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.smtp import SMTP, Envelope, Session


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
        self.received.append(message_from_bytes(content, policy=policy.default))
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
