"""The PDF files under DATA_DIR/documents: each made once, on demand, outside any
transaction, then the document is marked ready."""

from __future__ import annotations

import asyncio
import weakref
from pathlib import Path

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWorkFactory
from rules.documents.model import DocState, Document
from rules.documents.pdf import PdfFailed, render_pdf, write_atomically
from rules.ports import PermanentError
from rules.reason_codes import Reason
from rules.storage.unit import repos


class DocumentFiles:
    def __init__(self, folder: Path, uow: UnitOfWorkFactory, clock: Clock,
                 parallel_renders: int = 2) -> None:
        self.folder = folder
        self._uow = uow
        self._clock = clock
        self._renders = asyncio.Semaphore(parallel_renders)  # bounds CPU and memory
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = (
            weakref.WeakValueDictionary())

    def path_of(self, doc: Document) -> Path:
        return self.folder / doc.path

    async def pdf(self, doc_id: int) -> tuple[Document, Path]:
        """The document and its PDF file, rendered first if it is not on disk yet (a
        document sent twice, or e-mailed and sent, is rendered once).
        Raises PermanentError: document_missing, pdf_failed."""
        lock = self._locks.get(doc_id)
        if lock is None:
            lock = self._locks[doc_id] = asyncio.Lock()
        async with lock:
            async with self._uow(write=False) as uow:
                doc = await repos(uow).documents.get(doc_id)
            if doc is None:
                raise PermanentError(Reason.DOCUMENT_MISSING, f"document {doc_id}")
            path = self.path_of(doc)
            if not path.exists():
                await self._render(doc, path)
            if doc.state is not DocState.READY:
                size = path.stat().st_size
                async with self._uow() as uow:
                    await repos(uow).documents.mark_ready(doc.id, size, self._clock.now())
                    await uow.commit()
                doc.state, doc.size = DocState.READY, size
        return doc, path

    async def draft_pdf(self, html: str) -> bytes:
        """The PDF of a document that is stored nowhere (test mode's draft), made under the
        same bound as the others. Raises PermanentError: pdf_failed."""
        async with self._renders:
            try:
                return await asyncio.to_thread(render_pdf, html)
            except PdfFailed as error:
                raise PermanentError(Reason.PDF_FAILED, str(error)) from error

    async def _render(self, doc: Document, path: Path) -> None:
        async with self._renders:
            try:
                data = await asyncio.to_thread(render_pdf, doc.html)
            except PdfFailed as error:
                async with self._uow() as uow:
                    await repos(uow).documents.mark_failed(doc.id, str(error))
                    await uow.commit()
                raise PermanentError(Reason.PDF_FAILED, str(error)) from error
        await asyncio.to_thread(write_atomically, path, data)
