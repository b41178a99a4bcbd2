"""Create a document (quote, invoice, contract) from an HTML template in
templates/documents/, keep it with the item as a PDF, and optionally send it to the
client, the responsible person or a team chat as a Telegram document with a caption."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from crm.i18n import N_, language_or, translate
from rules.documents import texts
from rules.documents.create import (
    DOCUMENT_TEMPLATE,
    Created,
    create_document,
    document_language,
    validate_document,
)
from rules.documents.model import LABELS, DocType
from rules.errors import RuleInvalid
from rules.kinds import recipients
from rules.kinds.base import KindContext, KindGroup, Params, Recipient, RuleKind, Validation
from rules.kinds.messages import OPEN_ITEM
from rules.kinds.questions import Answer, Question
from rules.reason_codes import Reason
from rules.rendering import TemplateSource

CAPTION_LIMIT = 1024  # Telegram's limit for a document's caption


class DocumentParams(Params):
    doc_type: DocType
    template: str | None = Field(None, pattern=DOCUMENT_TEMPLATE, max_length=120)
    language: Literal["auto", "de", "en"] = "auto"  # auto: the client's language
    due_days: int = Field(14, ge=0, le=365)  # payment term / validity printed on it
    send_to: Literal["nobody", "client", "responsible", "team_chat"] = "nobody"
    team_chat_id: int | None = None
    caption: str | None = Field(None, min_length=1, max_length=CAPTION_LIMIT)  # a template

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.template is not None and ".." in self.template:
            raise ValueError(N_("a template name may not leave the templates folder"))
        if (self.send_to == "team_chat") != (self.team_chat_id is not None):
            raise ValueError(N_("give team_chat_id exactly when sending to a team chat"))
        return self


class CreateDocument(RuleKind[DocumentParams]):
    code = "create_document"
    group = KindGroup.PAPERWORK
    name = N_("Create a document")
    params_model = DocumentParams
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.PDF_FAILED: N_("the PDF could not be made: {detail}"),
        Reason.DOCUMENT_MISSING: N_("the document no longer exists"),
        Reason.DOCUMENT_NUMBER_TAKEN: N_(
            "the number {number} was given to another document already: give each document "
            "type a prefix of its own in the settings (INVOICE_PREFIX, QUOTE_PREFIX, "
            "CONTRACT_PREFIX)"),
    }

    questions = (
        Question("doc_type", Answer.CHOICE, N_("Which document?"),
                 choices=tuple((t.value, LABELS[t]) for t in DocType)),
        Question("send_to", Answer.CHOICE, N_("Where should the PDF go?"), optional=True,
                 choices=(("client", N_("to the client")),
                          ("responsible", N_("to the responsible person")),
                          ("team_chat", N_("to a team chat")),
                          ("nobody", N_("nowhere: only keep it with the item")))),
        Question("team_chat_id", Answer.TEAM_CHAT, N_("Which team chat?"),
                 when=("send_to", "team_chat")),
        Question("language", Answer.CHOICE, N_("In which language?"), optional=True,
                 choices=(("auto", N_("the client's language")), ("de", N_("German")),
                          ("en", N_("English")))),
        Question("due_days", Answer.NUMBER, N_("Payment term or validity in days?"),
                 example=N_("e.g. 14"), optional=True),
        Question("caption", Answer.TEXT, N_("A text under the PDF?"), optional=True,
                 example=N_("e.g. Your documents – we look forward to your answer.")),
    )

    async def execute(self, ctx: KindContext, params: DocumentParams) -> None:
        recipient = await _recipient(ctx, params)  # fails before a number is taken
        language = document_language(ctx, params.language)
        created = await create_document(ctx, params.doc_type, params.template, language,
                                        params.due_days)
        payload: dict[str, object] = {"document_id": created.document_id or 0}
        lang = ctx.config.default_language
        describe = translate(_KEEP, lang, label=created.label(lang))
        if recipient is not None:
            payload.update(caption=await _caption(ctx, params, created, recipient),
                           role=recipient.role, name=recipient.name, buttons=_buttons(
                               ctx, recipient, created.document_id))
            payload.update(_notices(ctx, created, recipient))
            describe = translate(_SEND, lang, label=created.label(lang), name=recipient.name)
            ctx.result.update(recipient=recipient.name, role=recipient.role)
        await ctx.effects.queue("document", "document",
                                recipient.chat_id if recipient else None, payload,
                                describe=describe)

    async def validate(self, params: DocumentParams, check: Validation) -> None:
        context = await validate_document(check, params.doc_type, params.template,
                                          params.due_days)
        if params.caption:
            await check.renderer.with_limits(max_source=CAPTION_LIMIT, max_output=CAPTION_LIMIT
                                             ).validate(TemplateSource(text=params.caption),
                                                        context)
        if params.team_chat_id is not None and not await check.lookup(
                "team_chat", params.team_chat_id):
            raise RuleInvalid(field="team_chat_id", value=params.team_chat_id,
                              reason="team_chat_gone", errors=[])

    def summary(self, params: DocumentParams, language: str) -> str:
        what = f"{translate(self.name, language)}: {translate(params.doc_type.label, language)}"
        to = _TO.get(params.send_to)
        return f"{what} → {translate(to, language)}" if to else what


_KEEP = N_("create the PDF of {label} and keep it with the item")
_SEND = N_("send {label} as PDF to {name}")
_TO = {"client": N_("client"),
       "responsible": N_("responsible person"),
       "team_chat": N_("team chat")}


async def _recipient(ctx: KindContext, params: DocumentParams) -> Recipient | None:
    if params.send_to == "client":
        return recipients.client(ctx)
    if params.send_to == "responsible":
        return recipients.responsible(ctx)
    if params.send_to == "team_chat" and params.team_chat_id is not None:
        return await recipients.team_chat(ctx, params.team_chat_id)
    return None


async def _caption(ctx: KindContext, params: DocumentParams, created: Created,
                   recipient: Recipient) -> str:
    label = created.label(recipient.language)
    if params.caption is None:
        return texts.caption(created.doc_type, created.number_text, ctx.subject.item.title,
                             recipient.language)
    renderer = ctx.renderer.with_limits(max_source=CAPTION_LIMIT, max_output=CAPTION_LIMIT)
    base = renderer.context(ctx.subject, recipient.language, ctx.now)
    context = {**base, "document": {"label": label, "number": created.number_text,
                                    "type": created.doc_type.value}}
    return await renderer.render(TemplateSource(text=params.caption), context)


def _buttons(ctx: KindContext, recipient: Recipient,
             document_id: int | None) -> list[list[dict[str, object]]]:
    """Staff and team chats get the item's card and, when it has a contact, the button that
    sends the PDF on to the client; a client gets none."""
    if recipient.role == "client":
        return []
    item_id = ctx.subject.item.id
    rows: list[list[dict[str, object]]] = [
        [{"text": translate(OPEN_ITEM, recipient.language, id=item_id), "item_id": item_id}]]
    if ctx.subject.contact is not None and document_id:
        rows.append([texts.to_client_button(document_id, recipient.language)])
    return rows


def _notices(ctx: KindContext, created: Created, recipient: Recipient) -> dict[str, object]:
    """A document a rule sends to the client: its responsible person is told when it
    arrived (or could not)."""
    staff = ctx.subject.responsible
    if recipient.role != "client" or staff is None or not staff.active:
        return {}
    item = ctx.subject.item
    return texts.delivery_notices(
        created.doc_type, created.number_text, recipient.name, item.id, item.title,
        staff.user_id, language_or(staff.language, ctx.config.default_language))


KIND = CreateDocument()
