"""Sentences of the CRM-mode feature: the modes, lead sources, conversion counts and the
feature's domain errors, in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import echo
from bot.common.texts import Quoted, reason_of
from crm.conversion_jobs import ConversionCounts
from crm.errors import AppError, InputProblem
from crm.models import CrmMode
from crm.services.mode import LEAD_SOURCES

# Sources staff choose for a lead created by hand ('telegram' is set by client inquiries).
MANUAL_SOURCES = tuple(s for s in LEAD_SOURCES if s != "telegram")


def source_text(source: str | None) -> str:
    return {
        "call": _("Call"), "email": _("E-mail"), "website": _("Website"), "event": _("Event"),
        "other": _("Other"), "telegram": _("Telegram"), None: _("No source"),
    }.get(source, source or "")


def mode_name(mode: CrmMode) -> str:
    return _("simple") if mode is CrmMode.SIMPLE else _("classic")


def mode_explanation(mode: CrmMode) -> str:
    if mode is CrmMode.SIMPLE:
        return _("Simple mode: no leads. Every client inquiry becomes a contact (and a "
                 "company when the client names one) with a deal — good for small teams that "
                 "want to answer inquiries fast.")
    return _("Classic mode: client inquiries become leads. Leads are worked through their own "
             "stages and converted into a deal with a contact and/or company once qualified; "
             "/report leads shows which sources bring the most customers.")


def leads_off_text() -> str:
    return _("Leads are switched off: the CRM is in simple mode. An admin can turn them on "
             "with /mode classic.")


def counts_text(counts: ConversionCounts) -> str:
    """What a conversion did, one line each (lines for nothing done are left out)."""
    lines = [
        (_("Leads converted into deals: {n}"), counts.leads_converted),
        (_("Contacts created: {n}"), counts.contacts_created),
        (_("Companies created: {n}"), counts.companies_created),
        (_("Leads converted before, only closed again: {n}"), counts.leads_already_converted),
        (_("Open activities moved to the deals: {n}"), counts.activities_moved),
        (_("Open activities closed: {n}"), counts.activities_closed),
    ]
    return "\n".join(f"• {text.format(n=n)}" for index, (text, n) in enumerate(lines)
                     if n or index == 0)


# The feature's errors, in the shape of bot.common.texts.ERROR_TEXTS: (code, reason) — the
# reason None is the code's sentence for any reason.
MODE_ERROR_TEXTS: dict[tuple[str, StrEnum | None], Callable[[AppError, Quoted], str]] = {
    ("leads_disabled", None): lambda e, p: leads_off_text(),
    ("not_a_lead", None): lambda e, p: _(
        "Item #{id} is not a lead; only leads are converted.").format(id=p.get("item_id", "")),
    ("lead_closed", None): lambda e, p: _(
        "Lead #{id} is closed already (in a success or failure stage); only open leads are "
        "converted.").format(id=p.get("lead_id", "")),
    ("lead_already_converted", None): lambda e, p: _(
        "Lead #{id} was converted before: its deal is #{deal}.").format(
        id=p.get("lead_id", ""), deal=p.get("deal_id", "")),
    ("no_client_chat", None): lambda e, p: _(
        "Item #{id} has no client who wrote to the bot, so there is nobody to send a reply "
        "to.").format(id=p.get("item_id", "")),
    ("invalid_input", InputProblem.UNKNOWN_SOURCE): lambda e, p: _(
        "“{value}” is not a lead source. Sources: {sources}.").format(
        value=p.get("value", ""), sources=", ".join(source_text(s) for s in MANUAL_SOURCES)),
    ("invalid_input", InputProblem.NO_SUCCESS_STAGE): lambda e, p: _(
        "A lead pipeline has no success stage to put converted leads in. Give it one with "
        "/stages first."),
}


def mode_error_text(error: AppError) -> str | None:
    """The sentence for an error of this feature; None for any other error."""
    quoted = {k: echo(str(v)) for k, v in error.params.items()}  # params quote the input
    text = (MODE_ERROR_TEXTS.get((error.code, reason_of(error)))
            or MODE_ERROR_TEXTS.get((error.code, None)))
    return text(error, quoted) if text else None
