"""The outbox's "email" channel: sends a row through SMTP. Network trouble and 4xx answers
are tried again later; a 5xx refusal fails the run with the server's words."""

from __future__ import annotations

import asyncio
from email.message import EmailMessage

import aiosmtplib

from crm.clock import Clock
from rules.documents.files import DocumentFiles
from rules.email.config import SmtpConfig
from rules.email.message import build_message, message_id
from rules.model import OutboxRow
from rules.ports import PermanentError, TransientError
from rules.reason_codes import Reason


class EmailTransport:
    def __init__(self, config: SmtpConfig, clock: Clock, files: DocumentFiles | None = None
                 ) -> None:
        self._config = config
        self._clock = clock
        self._files = files

    async def deliver(self, row: OutboxRow) -> None:
        payload = row.payload
        message = build_message(
            sender=self._config.sender, to=payload["to"], to_name=payload.get("to_name", ""),
            subject=payload["subject"], body=payload["body"],
            message_id=message_id(f"{row.dedupe_key}.{payload.get('token', '')}",
                                  self._config.sender),
            sent_at=self._clock.now(), attachment=await self._attachment(row))
        await self.send(message)

    async def _attachment(self, row: OutboxRow) -> tuple[str, bytes] | None:
        doc_id = row.payload.get("document_id")
        if not doc_id:
            return None
        if self._files is None:
            raise PermanentError(Reason.DOCUMENT_MISSING, "documents are not set up")
        doc, path = await self._files.pdf(int(doc_id))
        return doc.file_name, await asyncio.to_thread(path.read_bytes)

    async def send(self, message: EmailMessage) -> None:
        config = self._config
        try:
            await aiosmtplib.send(
                message,
                hostname=config.host, port=config.port, username=config.user or None,
                password=config.password or None, use_tls=config.security == "tls",
                start_tls=config.security == "starttls", timeout=config.timeout,
                validate_certs=config.validate_certs)
        except aiosmtplib.SMTPRecipientsRefused as error:
            codes = [r.code for r in error.recipients]
            detail = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
            if any(code < 500 for code in codes):
                raise TransientError(detail) from error
            raise PermanentError(Reason.EMAIL_REJECTED, detail) from error
        except aiosmtplib.SMTPAuthenticationError as error:
            detail = f"{error.code} {error.message}"
            raise PermanentError(Reason.EMAIL_LOGIN_FAILED, detail) from error
        except aiosmtplib.SMTPResponseException as error:
            detail = f"{error.code} {error.message}"
            if 500 <= error.code < 600:
                raise PermanentError(Reason.EMAIL_REJECTED, detail) from error
            raise TransientError(detail) from error
        except aiosmtplib.SMTPNotSupported as error:  # e.g. no STARTTLS: a setting to fix
            raise PermanentError(Reason.EMAIL_REJECTED, str(error)) from error
        except (aiosmtplib.SMTPException, OSError) as error:  # connection, timeout
            raise TransientError(f"{type(error).__name__}: {error}") from error
