"""Documents as data: their types, numbers and stored rows."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from crm.i18n import N_


class DocType(enum.StrEnum):
    QUOTE = "quote"
    INVOICE = "invoice"
    CONTRACT = "contract"

    @property
    def label(self) -> str:
        """The English name, a message id: `translate(doc_type.label, language)`."""
        return LABELS[self]


LABELS = {
    DocType.QUOTE: N_("Quote"),
    DocType.INVOICE: N_("Invoice"),
    DocType.CONTRACT: N_("Contract"),
}
class DocState(enum.StrEnum):
    PENDING = "pending"  # stored with its HTML; the outbox renders the PDF
    READY = "ready"  # the PDF file exists
    FAILED = "failed"  # the PDF could not be made (see error)


@dataclass(slots=True)
class Document:
    id: int
    item_id: int | None
    doc_type: DocType
    number: int
    number_text: str
    template: str
    language: str
    title: str
    gross: Decimal | None
    currency: str
    html: str
    created_at: datetime
    path: str = ""  # its PDF below the documents folder, chosen when it is created
    state: DocState = DocState.PENDING
    size: int | None = None
    error: str | None = None
    run_id: int | None = None
    rendered_at: datetime | None = None

    @property
    def file_name(self) -> str:
        return f"{self.number_text}.pdf"
