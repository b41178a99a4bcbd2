"""Creating a document in a run: render its HTML from the template, take the next number
of its type and store it (one change, inside the run's transaction), so that a failing
run gives the number back. The PDF is made later by the outbox (documents/transport.py).
In test mode the template is rendered all the same, and nothing is stored."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from crm.i18n import LANGUAGES, N_, language_or, translate
from crm.models import Item
from crm.service_period import FIELD as SERVICE_DATE
from crm.service_period import ServicePeriod, parse_service_period
from rules.documents.config import Issuer
from rules.documents.model import DocType, Document
from rules.documents.numbering import DEFAULT_PREFIXES, format_number
from rules.documents.totals import totals_of
from rules.reason_codes import Reason
from rules.rendering import Renderer, TemplateSource
from rules.storage.unit import repos

if TYPE_CHECKING:  # rules.kinds imports the kinds that import this module
    from rules.kinds.base import KindContext, Validation

DOCUMENT_TEMPLATE = r"^documents/[A-Za-z0-9_\-/]+\.j2$"
MAX_SOURCE = 20_000
MAX_HTML = 1_000_000


_CREATE = N_("create {label} ({template}, {lang})")


@dataclass(slots=True)
class Created:
    doc_type: DocType
    number_text: str
    language: str
    document_id: int | None = None  # None in test mode

    def label(self, language: str) -> str:
        return f"{translate(self.doc_type.label, language)} {self.number_text}"


def template_of(doc_type: DocType, template: str | None) -> str:
    return template or f"documents/{doc_type.value}.j2"


def document_language(ctx: KindContext, wanted: str) -> str:
    """"auto": the client's language, else the default."""
    if wanted in LANGUAGES:
        return wanted
    contact = ctx.subject.contact
    return language_or(contact.language if contact else None, ctx.config.default_language)


def document_renderer(renderer: Renderer) -> Renderer:
    return renderer.with_limits(max_source=MAX_SOURCE, max_output=MAX_HTML)


def document_context(base: dict[str, Any], item: Item, doc_type: DocType, number: str,
                     tax_rate: Decimal, issuer: Issuer, due_days: int) -> dict[str, Any]:
    """What a document template sees beyond a message's variables: `document.service` is
    the date or period of service (the item's `custom.service_date`, else the document's
    date), `recipient` the addressee's lines (company, person, postal address)."""
    now = base["now"]
    service = service_period(item, now.date())
    return {**base, "issuer": issuer, "totals": totals_of(item, tax_rate),
            "recipient": recipient_lines(base),
            "document": {"type": doc_type.value, "label": translate(doc_type.label, base["lang"]),
                         "number": number, "date": now, "due": now + timedelta(days=due_days),
                         "due_days": due_days, "service_start": service.start,
                         "service_end": service.end, "service_is_period": service.is_period}}


def service_period(item: Item, default: date) -> ServicePeriod:
    stored = item.custom.get(SERVICE_DATE)
    period = parse_service_period(str(stored)) if stored else None
    return period or ServicePeriod(default, default)


def recipient_lines(base: dict[str, Any]) -> dict[str, list[str]]:
    """The address block: the company (if any) and the person, then the postal address —
    the company's, else the person's — one line per part written between commas."""
    company, contact = base.get("company"), base.get("contact")
    names = [x.name for x in (company, contact) if x is not None]
    address = next((x.address for x in (company, contact)
                    if x is not None and getattr(x, "address", None)), "")
    lines = [part.strip() for part in address.replace("\n", ",").split(",") if part.strip()]
    return {"names": names, "address": lines}


async def render_html(ctx: KindContext, doc_type: DocType, template: str, language: str,
                      number: str, due_days: int) -> str:
    renderer = document_renderer(ctx.renderer)
    paperwork = ctx.config.paperwork
    base = renderer.context(ctx.subject, language, ctx.now)
    context = document_context(base, ctx.subject.item, doc_type, number, paperwork.tax_rate,
                               paperwork.issuer, due_days)
    return await renderer.render(TemplateSource(name=template), context)


async def create_document(ctx: KindContext, doc_type: DocType, template: str | None,
                          language: str, due_days: int) -> Created:
    repo = repos(ctx.uow).documents
    name = template_of(doc_type, template)
    prefix = ctx.config.paperwork.prefixes[doc_type]
    number = await repo.peek_number(doc_type)
    html = await render_html(ctx, doc_type, name, language, format_number(prefix, number),
                             due_days)
    created = Created(doc_type, format_number(prefix, number), language)
    if ctx.test_mode:  # nothing is stored: the tester may get this as a PDF
        from rules.kinds.base import Draft  # (see TYPE_CHECKING above)
        ctx.drafts.append(Draft(created.label(ctx.config.default_language),
                                created.number_text, html))

    async def store() -> None:
        taken = await repo.take_number(doc_type)
        text = format_number(prefix, taken)
        if await repo.number_taken(text):  # the prefix repeats another type's (027)
            from rules.kinds.base import RunFailure  # (see TYPE_CHECKING above)
            raise RunFailure(Reason.DOCUMENT_NUMBER_TAKEN, number=text)
        body = html if taken == number else await render_html(
            ctx, doc_type, name, language, text, due_days)
        item = ctx.subject.item
        totals = totals_of(item, ctx.config.paperwork.tax_rate)
        doc = await repo.add(Document(
            id=0, item_id=item.id, doc_type=doc_type, number=taken, number_text=text,
            template=name, language=language, title=item.title, gross=totals.gross,
            currency=item.currency, html=body, created_at=ctx.now, run_id=ctx.run_id,
            path=f"{doc_type.value}/{text}-{secrets.token_hex(4)}.pdf"))
        created.document_id, created.number_text = doc.id, text

    lang = ctx.config.default_language
    await ctx.effects.apply(translate(_CREATE, lang, label=created.label(lang), template=name,
                                        lang=language), store)
    ctx.result.update(document=created.number_text, document_id=created.document_id)
    return created


SAMPLE_ISSUER = Issuer("Muster GmbH", "Musterstraße 1, 10115 Berlin", "DE123456789",
                       "DE02120300000000202051", "BYLADEM1001", "Deutsche Kreditbank",
                       "info@muster.example", "27/123/45678", "Amtsgericht Berlin-Charlottenburg",
                       "HRB 123456", "Max Mustermann")


async def validate_document(check: Validation, doc_type: DocType, template: str | None,
                            due_days: int) -> dict[str, Any]:
    """Renders the document's template against the sample item in both languages; returns
    the last context (for checking a caption)."""
    renderer = document_renderer(check.renderer)
    context: dict[str, Any] = {}
    for lang in LANGUAGES:
        base = renderer.context(check.sample, lang, check.now)
        number = format_number(DEFAULT_PREFIXES[lang][doc_type], 1)
        context = document_context(base, check.sample.item, doc_type, number, Decimal(19),
                                   SAMPLE_ISSUER, due_days)
        await renderer.render(TemplateSource(name=template_of(doc_type, template)), context)
    return context
