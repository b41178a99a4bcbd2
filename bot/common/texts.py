"""Sentences for domain errors and enum values, in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import echo
from crm.errors import (
    Action,
    AppError,
    Conflict,
    Entity,
    InputProblem,
    InvalidInput,
    InviteInvalid,
    InviteProblem,
    PermissionDenied,
)
from crm.models import Role, StageKind


def what_text(what: str) -> str:
    return {
        "item": _("item"), "stage": _("stage"), "pipeline": _("pipeline"),
        "contact": _("contact"), "company": _("company"), "staff": _("staff member"),
        "type": _("item type"), "rule": _("rule"),
        "document": _("document"), "schedule": _("recurring copy"),
    }.get(what, what)


def field_text(field: str) -> str:
    return {
        "title": _("title"), "name": _("name"), "email": _("e-mail"), "phone": _("phone"),
        "stage_kind": _("stage kind"), "first_stage_kind": _("first stage"),
        "stage_position": _("position"), "source": _("source"), "amount": _("amount"),
        "currency": _("currency"), "probability": _("probability"),
        "address": _("postal address"),
    }.get(field, field)


def role_text(role: Role) -> str:
    return {Role.SALES: _("sales"), Role.MANAGER: _("manager"), Role.ADMIN: _("admin")}[role]


def kind_text(kind: StageKind) -> str:
    return {
        StageKind.PROGRESS: _("in progress"), StageKind.SUCCESS: _("success"),
        StageKind.FAILURE: _("failure"),
    }[kind]


Quoted = dict[str, str]  # the error's params, escaped to quote the user's input
# One table from an error's reason to its sentence: (code, reason) — the reason None is the
# code's sentence for any other reason. A code that is not here reads "Sorry, that did not
# work."
ERROR_TEXTS: dict[tuple[str, StrEnum | None], Callable[[AppError, Quoted], str]] = {
    ("not_found", None): lambda e, p: _("I could not find {what} “{ref}”.").format(
        what=what_text(str(e.params.get("what", ""))), ref=p.get("ref", "")),
    ("permission_denied", Action.ADMIN): lambda e, p: _("Sorry, only an admin may do that."),
    ("permission_denied", Action.SETTINGS): lambda e, p: _(
        "Sorry, only an admin or someone allowed to edit settings may do that."),
    ("permission_denied", None): lambda e, p: _("Sorry, you may not see or change this item."),
    ("invalid_amount", None): lambda e, p: _(
        "“{value}” is not an amount I understand. Examples: 15000, 15.000,50, "
        "15,000.50 EUR, €99").format(value=p.get("value", "")),
    ("invalid_input", InputProblem.FIRST_STAGE_KIND): lambda e, p: _(
        "The first stage of a pipeline must be an in-progress stage."),
    ("invalid_input", InputProblem.STAGE_POSITION): lambda e, p: _(
        "That stage cannot move any further that way."),
    ("invalid_input", InputProblem.FROM_PRODUCTS): lambda e, p: _(
        "This item's amount is the sum of its products; change the products instead."),
    ("invalid_input", InputProblem.UNKNOWN_FIELD): lambda e, p: _(
        "“{value}” is not a field I know. Fields: title, amount, currency, "
        "probability, custom.&lt;name&gt;.").format(value=p.get("value", "")),
    ("invalid_input", InputProblem.UNKNOWN_CONTACT_FIELD): lambda e, p: _(
        "“{value}” is not a contact field I know. Fields: name, phone, email, "
        "company.").format(value=p.get("value", "")),
    ("invalid_input", InputProblem.NOT_A_PHONE): lambda e, p: _(
        "“{value}” is not a phone number I understand: 5 to 15 digits, with + for the "
        "country code if you like, e.g. +49 30 123456 or 030 123456.").format(
        value=p.get("value", "")),
    ("invalid_input", InputProblem.NOT_AN_EMAIL): lambda e, p: _(
        "“{value}” is not an e-mail address I understand, e.g. anna@example.com.").format(
        value=p.get("value", "")),
    ("invalid_input", InputProblem.NOT_A_SERVICE_DATE): lambda e, p: _(
        "“{value}” is not a date of service I understand: a day (15.11.2026), a period "
        "(01.11.2026 - 30.11.2026) or a month (11/2026).").format(value=p.get("value", "")),
    ("invalid_input", InputProblem.NO_CONTACT): lambda e, p: _(
        "Item #{value} has no contact yet. Link one with /link {value} &lt;contact&gt; "
        "(find it with /contacts) or create one with /contact.").format(
        value=p.get("value", "")),
    ("invalid_input", None): lambda e, p: _("The {field} “{value}” is not valid.").format(
        field=field_text(str(e.params.get("field", ""))), value=p.get("value", "")),
    ("stale_card", None): lambda e, p: _(
        "This card was out of date — the item changed meanwhile. Nothing was moved; "
        "here it is as it is now."),
    ("already_in_stage", None): lambda e, p: _(
        "The item is already in that stage; nothing changed."),
    ("conflict", Entity.LAST_ADMIN): lambda e, p: _(
        "That is the last admin; make someone else admin first."),
    ("conflict", Entity.STAFF): lambda e, p: _("You are already a member of the team."),
    ("conflict", None): lambda e, p: _("“{ref}” already exists.").format(ref=p.get("ref", "")),
    ("invite_invalid", InviteProblem.EXPIRED): lambda e, p: _(
        "This invite link has expired. Ask an admin for a new one."),
    ("invite_invalid", InviteProblem.USED): lambda e, p: _(
        "This invite link was already used. Ask an admin for a new one."),
    ("invite_invalid", None): lambda e, p: _("This invite link is not valid."),
}


def reason_of(error: AppError) -> StrEnum | None:
    """The typed reason that picks the sentence among an error code's."""
    if isinstance(error, PermissionDenied):
        return error.action
    if isinstance(error, InvalidInput | InviteInvalid):
        return error.problem
    if isinstance(error, Conflict):
        return error.what
    return None


def error_text(error: AppError) -> str:
    quoted = {k: echo(str(v)) for k, v in error.params.items()}  # params quote the input
    text = (ERROR_TEXTS.get((error.code, reason_of(error)))
            or ERROR_TEXTS.get((error.code, None)))
    return text(error, quoted) if text else _("Sorry, that did not work.")
