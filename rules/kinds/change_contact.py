"""Change a field of the item's contact or company — name, phone, e-mail or postal address
(a contact also its company) — to a value written in the rule or computed by a template
(`{{ item.custom.new_phone }}`); `-` clears it (not a name). The same checks as a change by
hand (crm.services.contacts, crm.services.addresses), and the same line on the item's
timeline, so the card's history says what automation changed."""

from __future__ import annotations

from typing import ClassVar, Literal, Self

from pydantic import Field, model_validator

from crm.errors import InputProblem, InvalidInput
from crm.i18n import N_, translate
from crm.models import Company, Contact, TimelineEntry, TimelineKind
from crm.services.addresses import ICON as ADDRESS_ICON
from crm.services.addresses import clean_address
from crm.services.clients import clean_name
from crm.services.contact_details import clean_email, clean_phone
from crm.services.contacts import CLEAR, change_company, change_contact
from crm.storage.repos.addresses import PostalAddresses
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, RunFailure, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import checked_value, invalid, is_template, value_of
from rules.reason_codes import Reason

SET = N_("set the {whose} {field} to “{value}”")
CLEARED = N_("clear the {whose} {field}")
THE_FIELD = N_("the {whose} {field}")
CONTACT_S = N_("contact’s")
COMPANY_S = N_("company’s")
FIELD_WORDS = {"name": N_("name"), "phone": N_("phone number"), "email": N_("e-mail address"),
               "address": N_("postal address"), "company": N_("company")}
NO_NAME = N_("a name cannot be cleared")
COMPANY_OF_COMPANY = N_("a company has a name, a phone number, an e-mail address and a postal "
                        "address")
_PROBLEMS = {InputProblem.NOT_A_PHONE: Reason.NOT_A_PHONE,
             InputProblem.NOT_AN_EMAIL: Reason.NOT_AN_EMAIL}
_WORDS = {Reason.NOT_A_PHONE: N_("“{value}” is not a phone number"),
          Reason.NOT_AN_EMAIL: N_("“{value}” is not an e-mail address"),
          Reason.NOT_A_NAME: N_("the name “{value}” is empty or longer than 120 characters"),
          Reason.TOO_LONG: N_("the postal address is empty or longer than 200 characters")}


class ChangeContactParams(Params):
    of: Literal["contact", "company"] = "contact"
    field: Literal["name", "phone", "email", "address", "company"]
    value: str = Field(max_length=500)  # a template; "-" clears

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.of == "company" and self.field == "company":
            raise ValueError(COMPANY_OF_COMPANY)
        if self.field == "name" and self.value.strip() in ("", CLEAR):
            raise ValueError(NO_NAME)
        return self


class ChangeContact(RuleKind[ChangeContactParams]):
    code = "change_contact"
    group = KindGroup.DATA
    name = N_("Change a contact or company field")
    params_model = ChangeContactParams
    questions = (
        Question("of", Answer.CHOICE, N_("Of whom?"),
                 choices=(("contact", N_("the item’s contact")),
                          ("company", N_("the item’s company")))),
        Question("field", Answer.CHOICE, N_("Which field?"),
                 choices=(("name", N_("name")), ("phone", N_("phone number")),
                          ("email", N_("e-mail address")), ("address", N_("postal address")),
                          ("company", N_("company")))),
        Question("value", Answer.TEXT, N_("Its new value? (- clears it)"),
                 example=N_("e.g. {{ item.custom.new_phone }} or +49 30 1234567")),
    )
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.NO_CONTACT: N_("the item has no contact"),
        Reason.NO_COMPANY: N_("the item has no company"),
        **_WORDS,
    }

    async def execute(self, ctx: KindContext, params: ChangeContactParams) -> None:
        item, language = ctx.subject.item, ctx.config.default_language
        text = (await value_of(ctx, params.value))[0].strip()
        whose = translate(CONTACT_S if params.of == "contact" else COMPANY_S, language)
        field = translate(FIELD_WORDS[params.field], language)
        ctx.result.update(of=params.of, field=params.field, value=text)
        describe = (translate(CLEARED, language, whose=whose, field=field) if text == CLEAR
                    else translate(SET, language, whose=whose, field=field, value=text))
        if params.of == "contact" and item.contact_id is None:
            raise RunFailure(Reason.NO_CONTACT)
        contact = ctx.subject.contact  # no company of its own: its contact's
        company_id = item.company_id or (contact.company_id if contact else None)
        if params.of == "company" and company_id is None:
            raise RunFailure(Reason.NO_COMPANY)
        if params.field == "name" and not text:
            raise RunFailure(Reason.NOT_A_NAME, value=text)

        async def write() -> None:
            clients = ctx.uow.clients
            try:
                holder: Contact | Company | None
                if params.of == "contact":
                    holder = await clients.get_contact(item.contact_id or 0)
                    if holder is None:
                        raise RunFailure(Reason.NO_CONTACT)
                else:
                    holder = await clients.get_company(company_id or 0)
                    if holder is None:
                        raise RunFailure(Reason.NO_COMPANY)
                if params.field == "address":
                    line = await _change_address(ctx, holder, text)
                elif isinstance(holder, Contact):
                    line = await change_contact(ctx.uow, holder, params.field, text, ctx.now)
                else:
                    line = await change_company(ctx.uow, holder, params.field, text)
            except InvalidInput as error:
                raise _failure(error, text) from error
            if line:  # the card's history says what automation changed (author: none)
                await ctx.uow.timeline.add(TimelineEntry(item.id, ctx.now,
                                                         TimelineKind.CONTACT_CHANGE, line))

        await ctx.effects.apply(describe, write)

    async def validate(self, params: ChangeContactParams, check: Validation) -> None:
        text = await checked_value(check, params.value)
        if text is None or text.strip() == CLEAR:
            return
        try:
            _check(params.field, text)
        except InvalidInput as error:
            code = _reason(error)
            raise invalid(self.code, "value", _WORDS[code], value=text.strip()) from error

    def summary(self, params: ChangeContactParams, language: str) -> str:
        """Which field, and its value when plain and short (a template's text would make a
        poor title)."""
        whose = translate(CONTACT_S if params.of == "contact" else COMPANY_S, language)
        field = translate(THE_FIELD, language, whose=whose,
                          field=translate(FIELD_WORDS[params.field], language))
        value = " ".join(params.value.split())
        if value and not is_template(value) and len(value) <= 30:
            field += f" = {value}"
        return f"{translate(self.name, language)}: {field}"


async def _change_address(ctx: KindContext, holder: Contact | Company, text: str
                          ) -> str | None:
    """Sets the postal address as /edit … address does; the timeline line, or None when it
    stays the same."""
    address = clean_address(text)
    if holder.address == address:
        return None
    addresses = ctx.uow.extension(PostalAddresses)
    if isinstance(holder, Contact):
        await addresses.set_contact(holder.id, address)
    else:
        await addresses.set_company(holder.id, address)
    return f"{ADDRESS_ICON} {holder.name}: {holder.address or '—'} → {address or '—'}"


def _check(field: str, text: str) -> None:
    """A plain value checked as its field keeps it; raises InvalidInput."""
    if field == "address":
        clean_address(text)
    elif field in ("name", "company"):
        clean_name(text)
    elif field == "phone" and clean_phone(text) is None:
        raise InvalidInput(field=field, value=text, problem=InputProblem.NOT_A_PHONE)
    elif field == "email" and clean_email(text) is None:
        raise InvalidInput(field=field, value=text, problem=InputProblem.NOT_AN_EMAIL)


def _reason(error: InvalidInput) -> Reason:
    if error.field == "address":
        return Reason.TOO_LONG
    return _PROBLEMS.get(error.problem, Reason.NOT_A_NAME) if error.problem \
        else Reason.NOT_A_NAME


def _failure(error: InvalidInput, text: str) -> RunFailure:
    return RunFailure(_reason(error), value=text)


KIND = ChangeContact()
