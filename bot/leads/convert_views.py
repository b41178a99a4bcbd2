"""/convert: converting one lead by hand — questions and keyboards."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape, localized
from bot.leads.callbacks import ConvertCb, ConvertStep
from bot.mode.callbacks import CLIENT_CHOICES, LINK
from crm.models import Company, Contact, Item, Pipeline
from crm.services.conversion_steps import LeadConversion

MAX_MATCHES = 6


def _done(builder: InlineKeyboardBuilder, item_id: int) -> InlineKeyboardMarkup:
    builder.button(text=_("Cancel"), callback_data=ConvertCb(step=ConvertStep.CANCEL,
                                                             item_id=item_id))
    builder.adjust(1)
    return builder.as_markup()


def clients_question(lead: Item) -> str:
    return _("Convert lead #{id} “{title}” into a deal.\n\nWhich clients should the deal get? "
             "New ones from the lead's data, or existing ones?").format(
        id=lead.id, title=escape(lead.title))


def clients_keyboard(item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    labels = (_("New contact"), _("New company"), _("New contact and company"))
    for index, _code in enumerate(CLIENT_CHOICES):
        builder.button(text=labels[index], callback_data=ConvertCb(
            step=ConvertStep.CREATE, item_id=item_id, value=index))
    builder.button(text=_("Link an existing contact or company …"), callback_data=ConvertCb(
        step=ConvertStep.CREATE, item_id=item_id, value=LINK))
    return _done(builder, item_id)


def search_question() -> str:
    return _("Type (part of) the name of the contact or company to link.")


def matches_text(found: bool) -> str:
    if not found:
        return _("Nothing found. Try another name, or /cancel.")
    return _("Which one? (Or type another name.)")


def matches_keyboard(item_id: int, contacts: list[Contact],
                     companies: list[Company]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for contact in contacts[:MAX_MATCHES]:
        builder.button(text=f"👤 {contact.name}", callback_data=ConvertCb(
            step=ConvertStep.CONTACT, item_id=item_id, value=contact.id))
    for company in companies[:MAX_MATCHES]:
        builder.button(text=f"🏢 {company.name}", callback_data=ConvertCb(
            step=ConvertStep.COMPANY, item_id=item_id, value=company.id))
    return _done(builder, item_id)


def pipeline_question() -> str:
    return _("Which deal pipeline should the deal go to?")


def pipeline_keyboard(item_id: int, pipelines: list[Pipeline],
                      language: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for pipeline in pipelines:
        builder.button(text=localized(pipeline, language), callback_data=ConvertCb(
            step=ConvertStep.PIPELINE, item_id=item_id, value=pipeline.id))
    return _done(builder, item_id)


def activities_question(open_count: int) -> str:
    return ngettext("The lead has {n} open activity: move it to the deal and keep it open, "
                    "or close it?",
                    "The lead has {n} open activities: move them to the deal and keep them "
                    "open, or close them?", open_count).format(n=open_count)


def activities_keyboard(item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Keep them open on the deal"), callback_data=ConvertCb(
        step=ConvertStep.ACTIVITIES, item_id=item_id, value=1))
    builder.button(text=_("Close them"), callback_data=ConvertCb(
        step=ConvertStep.ACTIVITIES, item_id=item_id, value=0))
    return _done(builder, item_id)


def converted_note(done: LeadConversion) -> str:
    parts = [_("✅ Converted from lead #{id}; the lead is closed as converted.").format(
        id=done.lead_id)]
    if done.counts.contacts_created:
        parts.append(_("New contact created."))
    if done.counts.companies_created:
        parts.append(_("New company created."))
    if done.counts.activities_moved:
        parts.append(_("Open activities moved: {n}.").format(n=done.counts.activities_moved))
    if done.counts.activities_closed:
        parts.append(_("Open activities closed: {n}.").format(n=done.counts.activities_closed))
    return " ".join(parts)
