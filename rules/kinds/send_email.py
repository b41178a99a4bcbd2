"""Send an e-mail to the item's contact or company: subject and body from templates, and
optionally a PDF — the newest document an earlier rule of the stage created, or one
created for this e-mail. Delivered by the outbox through SMTP (rules/email)."""

from __future__ import annotations

import secrets
from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from crm.i18n import N_, quoted, translate
from rules.documents.create import (
    DOCUMENT_TEMPLATE,
    create_document,
    document_language,
    validate_document,
)
from rules.documents.model import LABELS, DocType
from rules.email.message import one_line
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, RunFailure, Validation
from rules.kinds.messages import TEMPLATE_NAME
from rules.kinds.questions import Answer, Question
from rules.reason_codes import Reason
from rules.rendering import TemplateSource
from rules.storage.unit import repos

MAX_BODY = 100_000


class EmailParams(Params):
    to: Literal["contact", "company"] = "contact"
    subject: str = Field(min_length=1, max_length=300)  # a template, e.g. "Your quote {{ ... }}"
    template: str | None = Field(None, pattern=TEMPLATE_NAME, max_length=120)  # body file
    text: str | None = Field(None, min_length=1, max_length=20_000)  # body in the rule
    language: Literal["auto", "de", "en"] = "auto"
    attach: Literal["none", "latest", "new"] = "none"
    doc_type: DocType | None = None  # latest: of this type (none: any); new: required
    document_template: str | None = Field(None, pattern=DOCUMENT_TEMPLATE, max_length=120)
    due_days: int = Field(14, ge=0, le=365)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.template is None) == (self.text is None):
            raise ValueError(N_("give either a template file or the text of the e-mail"))
        if ".." in (self.template or "") + (self.document_template or ""):
            raise ValueError(N_("a template name may not leave the templates folder"))
        if self.attach == "new" and self.doc_type is None:
            raise ValueError(N_("say which document to create (doc_type)"))
        return self


class SendEmail(RuleKind[EmailParams]):
    code = "send_email"
    group = KindGroup.CLIENT
    name = N_("E-mail to the client")
    params_model = EmailParams
    questions = (
        Question("to", Answer.CHOICE, N_("To whom?"), optional=True,
                 choices=(("contact", N_("the contact")), ("company", N_("the company")))),
        Question("subject", Answer.TEXT, N_("The e-mail's subject?"),
                 example=N_("e.g. Your quote")),
        Question("text", Answer.TEXT, N_("The text of the e-mail?"),
                 example=N_("e.g. Thank you for your inquiry – here is our quote.")),
        Question("attach", Answer.CHOICE, N_("Attach a document?"), optional=True,
                 choices=(("none", N_("no")), ("latest", N_("the latest document")),
                          ("new", N_("a new document")))),
        Question("doc_type", Answer.CHOICE, N_("Which document?"), when=("attach", "new"),
                 choices=tuple((t.value, LABELS[t]) for t in DocType)),
    )
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.EMAIL_NOT_CONFIGURED: N_("no mail server is set up (SMTP_HOST) — ask your admin"),
        Reason.NO_CONTACT: N_("the item has no contact"),
        Reason.NO_COMPANY: N_("the item has no company"),
        Reason.NO_EMAIL: N_("{name} has no e-mail address"),
        Reason.NO_DOCUMENT: N_("there is no {type} of this stage to attach"),
        Reason.EMAIL_REJECTED: N_("the mail server refused the e-mail to {name}: {detail}"),
        Reason.EMAIL_LOGIN_FAILED: N_("the mail server refused our login (SMTP_USER, "
                                      "SMTP_PASSWORD): {detail}"),
    }

    async def execute(self, ctx: KindContext, params: EmailParams) -> None:
        if not ctx.config.paperwork.email_ready:
            raise RunFailure(Reason.EMAIL_NOT_CONFIGURED)
        name, address = _address(ctx, params)
        language = document_language(ctx, params.language)
        renderer = ctx.renderer.with_limits(max_source=MAX_BODY, max_output=MAX_BODY)
        context = renderer.context(ctx.subject, language, ctx.now)
        subject = one_line(await renderer.render(TemplateSource(text=params.subject), context))
        body = await renderer.render(_body(params), context)
        attached, label = await _attachment(ctx, params, language)
        lang = ctx.config.default_language
        describe = translate(_DESCRIBE, lang, to=address, subject=subject)
        if label:
            describe += translate(_ATTACHED, lang, label=label)
        ctx.result.update(recipient=address, role="client")
        await ctx.effects.queue("email", "email", None, {
            "to": address, "to_name": name, "subject": subject, "body": body,
            "document_id": attached, "role": "client", "name": address,
            "token": secrets.token_hex(8)}, describe=describe)

    async def validate(self, params: EmailParams, check: Validation) -> None:
        renderer = check.renderer.with_limits(max_source=MAX_BODY, max_output=MAX_BODY)
        context = renderer.context(check.sample, "en", check.now)
        await renderer.validate(TemplateSource(text=params.subject), context)
        await renderer.validate(_body(params), context)
        if params.attach == "new" and params.doc_type is not None:
            await validate_document(check, params.doc_type, params.document_template,
                                    params.due_days)

    def summary(self, params: EmailParams, language: str) -> str:
        return f"{translate(self.name, language)}: {quoted(one_line(params.subject, 40), language)}"


_DESCRIBE = N_("e-mail to {to}: “{subject}”")
_ATTACHED = N_(" with {label} attached")


def _body(params: EmailParams) -> TemplateSource:
    return TemplateSource(name=params.template, text=params.text)


def _address(ctx: KindContext, params: EmailParams) -> tuple[str, str]:
    party = ctx.subject.contact if params.to == "contact" else ctx.subject.company
    if party is None:
        raise RunFailure(Reason.NO_CONTACT if params.to == "contact" else Reason.NO_COMPANY)
    if not party.email:
        raise RunFailure(Reason.NO_EMAIL, name=party.name)
    return party.name, party.email


async def _attachment(ctx: KindContext, params: EmailParams, language: str
                      ) -> tuple[int | None, str]:
    """(document id, its label) of what to attach; (None, "") for nothing."""
    lang = ctx.config.default_language
    if params.attach == "new" and params.doc_type is not None:
        created = await create_document(ctx, params.doc_type, params.document_template,
                                        language, params.due_days)
        return created.document_id, created.label(lang)
    if params.attach != "latest":
        return None, ""
    item = ctx.subject.item
    doc = await repos(ctx.uow).documents.latest(item.id, item.stage_entered_at,
                                                  params.doc_type)
    if doc is not None:
        return doc.id, f"{translate(doc.doc_type.label, lang)} {doc.number_text}"
    kind = translate(params.doc_type.label, lang) if params.doc_type else "PDF"
    if ctx.test_mode:  # the rule before it would have created one
        return None, translate(_CREATED_BEFORE, lang, type=kind)
    raise RunFailure(Reason.NO_DOCUMENT, type=kind)


_CREATED_BEFORE = N_("the {type} an earlier rule creates")


KIND = SendEmail()
