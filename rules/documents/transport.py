"""The outbox's "document" channel: makes the document's PDF (once), then sends it to the
row's chat when it has one. Sending goes through the outbox like every message: retries,
Telegram's limits, one row per send."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any, Protocol

from rules.documents.files import DocumentFiles
from rules.model import OutboxRow
from rules.ports import PermanentError
from rules.reason_codes import Reason


class DocumentSender(Protocol):
    """Sends a file to a Telegram chat (bot/ implements it); raises the engine's
    RetryAfter, TransientError or PermanentError."""

    async def send_document(self, chat_id: int, path: Path, file_name: str, caption: str,
                            buttons: list[list[dict[str, Any]]]) -> int: ...


class DocumentTransport:
    def __init__(self, files: DocumentFiles, sender: DocumentSender | None = None) -> None:
        self._files = files
        self._sender = sender

    async def deliver(self, row: OutboxRow) -> int | None:
        if "html" in row.payload:  # test mode's draft: made for this send, kept nowhere
            return await self._draft(row)
        doc, path = await self._files.pdf(int(row.payload["document_id"]))
        if row.chat_id is None:
            return None  # only to be made and kept with the item
        return await self._send(row, path, doc.file_name)

    async def _draft(self, row: OutboxRow) -> int | None:
        data = await self._files.draft_pdf(str(row.payload["html"]))
        name = str(row.payload.get("file_name") or "TEST.pdf")
        with tempfile.TemporaryDirectory(prefix="draft-") as folder:
            path = Path(folder) / name
            await asyncio.to_thread(path.write_bytes, data)
            return await self._send(row, path, name)

    async def _send(self, row: OutboxRow, path: Path, file_name: str) -> int:
        if self._sender is None or row.chat_id is None:
            raise PermanentError(Reason.SEND_REJECTED, "no Telegram connection for documents")
        return await self._sender.send_document(
            row.chat_id, path, file_name, str(row.payload.get("caption") or ""),
            list(row.payload.get("buttons") or []))
