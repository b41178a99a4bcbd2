"""Sentences for domain errors and enum values, in the user's language."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import echo
from crm.errors import AppError
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
    }.get(field, field)


def role_text(role: Role) -> str:
    return {Role.SALES: _("sales"), Role.MANAGER: _("manager"), Role.ADMIN: _("admin")}[role]


def kind_text(kind: StageKind) -> str:
    return {
        StageKind.PROGRESS: _("in progress"), StageKind.SUCCESS: _("success"),
        StageKind.FAILURE: _("failure"),
    }[kind]


def error_text(error: AppError) -> str:
    p = {k: echo(str(v)) for k, v in error.params.items()}  # params quote the input
    code = error.code
    if code == "not_found":
        return _("I could not find {what} “{ref}”.").format(
            what=what_text(error.params.get("what", "")), ref=p.get("ref", ""))
    if code == "permission_denied":
        if error.params.get("action") == "admin":
            return _("Sorry, only an admin may do that.")
        if error.params.get("action") == "settings":
            return _("Sorry, only an admin or someone allowed to edit settings may do that.")
        return _("Sorry, you may not see or change this item.")
    if code == "invalid_amount":
        return _("“{value}” is not an amount I understand. Examples: 15000, 15.000,50, "
                 "15,000.50 EUR, €99").format(value=p.get("value", ""))
    if code == "invalid_input":
        if error.params.get("field") == "first_stage_kind":
            return _("The first stage of a pipeline must be an in-progress stage.")
        if error.params.get("field") == "stage_position":
            return _("That stage cannot move any further that way.")
        if error.params.get("reason") == "from_products":
            return _("This item's amount is the sum of its products; change the products "
                     "instead.")
        if error.params.get("reason") == "unknown_field":
            return _("“{value}” is not a field I know. Fields: title, amount, currency, "
                     "probability, custom.&lt;name&gt;.").format(value=p.get("value", ""))
        return _("The {field} “{value}” is not valid.").format(
            field=field_text(error.params.get("field", "")), value=p.get("value", ""))
    if code == "stale_card":
        return _("This card was out of date — the item changed meanwhile. Nothing was moved; "
                 "here it is as it is now.")
    if code == "already_in_stage":
        return _("The item is already in that stage; nothing changed.")
    if code == "conflict":
        if error.params.get("what") == "last_admin":
            return _("That is the last admin; make someone else admin first.")
        if error.params.get("what") == "staff":
            return _("You are already a member of the team.")
        return _("“{ref}” already exists.").format(ref=p.get("ref", ""))
    if code == "invite_invalid":
        return {
            "expired": _("This invite link has expired. Ask an admin for a new one."),
            "used": _("This invite link was already used. Ask an admin for a new one."),
        }.get(error.params.get("reason", ""), _("This invite link is not valid."))
    return _("Sorry, that did not work.")
