"""Documents and their numbers. Numbers are taken in the transaction that stores the
document, so a rolled-back run gives its number back and a committed one keeps it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.storage.codec import from_minor, parse_ts, parse_ts_required, to_minor, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from rules.documents.model import DocState, DocType, Document


def _document(row: Any) -> Document:
    return Document(
        id=row["id"], item_id=row["item_id"], doc_type=DocType(row["doc_type"]),
        number=row["number"], number_text=row["number_text"], template=row["template"],
        language=row["language"], title=row["title"], gross=from_minor(row["gross"]),
        currency=row["currency"], html=row["html"],
        created_at=parse_ts_required(row["created_at"]),
        state=DocState(row["state"]), path=row["path"], size=row["size"], error=row["error"],
        run_id=row["run_id"], rendered_at=parse_ts(row["rendered_at"]))


class DocumentRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def take_number(self, doc_type: DocType) -> int:
        """The next number of the type, counted as used from now (in this transaction)."""
        rows = await self._conn.execute_fetchall(
            "INSERT INTO document_numbers (doc_type, last_number) VALUES (?, 1)"
            " ON CONFLICT (doc_type) DO UPDATE SET last_number = document_numbers.last_number + 1"
            " RETURNING last_number", (doc_type.value,))
        return int(next(iter(rows))[0])

    async def peek_number(self, doc_type: DocType) -> int:
        """The number the next document of the type would get (test mode)."""
        rows = await self._conn.execute_fetchall(
            "SELECT last_number FROM document_numbers WHERE doc_type = ?", (doc_type.value,))
        return next((int(r[0]) for r in rows), 0) + 1

    async def number_taken(self, number_text: str) -> bool:
        rows = await self._conn.execute_fetchall(
            "SELECT 1 FROM documents WHERE number_text = ?", (number_text,))
        return bool(rows)

    async def add(self, doc: Document) -> Document:
        doc.id = await insert_id(
            self._conn,
            """INSERT INTO documents (item_id, doc_type, number, number_text, template, language,
                 title, gross, currency, html, state, path, run_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (doc.item_id, doc.doc_type.value, doc.number, doc.number_text, doc.template,
             doc.language, doc.title, to_minor(doc.gross), doc.currency, doc.html,
             doc.state.value, doc.path, doc.run_id, ts(doc.created_at)))
        return doc

    async def get(self, doc_id: int) -> Document | None:
        rows = await self._conn.execute_fetchall("SELECT * FROM documents WHERE id = ?", (doc_id,))
        return next((_document(r) for r in rows), None)

    async def for_item(self, item_id: int, limit: int = 50) -> list[Document]:
        """Newest first."""
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM documents WHERE item_id = ? ORDER BY id DESC LIMIT ?",
            (item_id, limit))
        return [_document(r) for r in rows]

    async def latest(self, item_id: int, since: datetime,
                     doc_type: DocType | None = None) -> Document | None:
        """The item's newest document created at or after `since` (of the type, if given)."""
        kind = doc_type.value if doc_type else None
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM documents WHERE item_id = ? AND created_at >= ?"
            " AND (CAST(? AS TEXT) IS NULL OR doc_type = ?) ORDER BY id DESC LIMIT 1",
            (item_id, ts(since), kind, kind))
        return next((_document(r) for r in rows), None)

    async def mark_ready(self, doc_id: int, size: int, at: datetime) -> None:
        await self._conn.execute(
            "UPDATE documents SET state = 'ready', size = ?, error = NULL, rendered_at = ?"
            " WHERE id = ?", (size, ts(at), doc_id))

    async def mark_failed(self, doc_id: int, error: str) -> None:
        await self._conn.execute(
            "UPDATE documents SET state = 'failed', error = ? WHERE id = ? AND state != 'ready'",
            (error[:500], doc_id))
