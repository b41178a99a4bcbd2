"""Texts and keyboards of contacts: the item card's contact lines, the /contacts list, a
contact's card and the duplicate warning. Phone numbers and e-mail addresses are shown as
plain text: Telegram makes them tappable itself (a tel: link is not allowed in its HTML)."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import echo, escape, localized, money
from bot.contacts.callbacks import ContactCb, ContactListCb, DuplicateCb, DuplicateChoice
from bot.items.callbacks import CardAction, CardCb
from crm.models import Contact, EntityType, Stage
from crm.services.contacts import ContactCard, ContactPage
from crm.services.duplicates import Duplicate

PAGE_SIZE = 8
MAX_PAGED_SEARCH = 40  # bytes of a search that still fit its page buttons (64 in all)


def contact_detail_lines(contact: Contact) -> list[str]:
    """The contact's phone number and e-mail address, under its name on the item card."""
    details = [f"☎️ {escape(contact.phone)}"] if contact.phone else []
    details += [f"✉️ {escape(contact.email)}"] if contact.email else []
    return ["    " + " · ".join(details)] if details else []


def _summary(contact: Contact, companies: dict[int, str]) -> str:
    parts = [f"#{contact.id} <b>{escape(contact.name)}</b>"]
    if contact.company_id and contact.company_id in companies:
        parts.append(escape(companies[contact.company_id]))
    if contact.phone:
        parts.append(f"☎️ {escape(contact.phone)}")
    if contact.email:
        parts.append(f"✉️ {escape(contact.email)}")
    return " · ".join(parts)


def list_text(page: ContactPage, search: str | None) -> str:
    if not page.contacts and search:
        return _("No contact matches “{text}”. Try the start of a name, a phone number or an "
                 "e-mail address.").format(text=echo(search))
    if not page.contacts:
        return _("No contacts yet. Create one with /contact &lt;name&gt;; &lt;phone&gt;; "
                 "&lt;e-mail&gt;; &lt;company&gt;.")
    head = _("<b>Contacts for “{text}”</b>").format(text=echo(search)) if search else \
        _("<b>Contacts</b>, newest first")
    lines = [head, *(_summary(c, page.companies) for c in page.contacts), "",
             _("Open one with its button; search with /contacts &lt;name, phone or e-mail&gt;.")]
    return "\n".join(lines)


def _button(text: str, data: ContactCb | ContactListCb | CardCb | DuplicateCb
            ) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def paged_search(search: str | None) -> str | None:
    """The search as the page buttons carry it, or None when it does not fit them."""
    text = " ".join((search or "").replace(":", " ").split())
    return text if len(text.encode()) <= MAX_PAGED_SEARCH else None


def list_keyboard(page: ContactPage, search: str | None) -> InlineKeyboardMarkup:
    rows = [[_button(f"👤 {c.name[:40]}", ContactCb(contact_id=c.id))] for c in page.contacts]
    text = paged_search(search)
    paging = []
    if text is not None and page.contacts:
        if page.has_newer:
            paging.append(_button("◀", ContactListCb(after=page.contacts[0].id, text=text)))
        if page.has_older:
            paging.append(_button("▶", ContactListCb(before=page.contacts[-1].id, text=text)))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows)


def card_text(card: ContactCard, types: list[EntityType], stages: dict[int, Stage],
              language: str, note: str | None = None) -> str:
    contact = card.contact
    lines = [f"<b>👤 {escape(contact.name)}</b> · #{contact.id}"]
    if card.company:
        lines.append(_("Company: {name}").format(name=escape(card.company.name)))
    lines.append(_("Phone: {phone}").format(phone=escape(contact.phone or "—")))
    lines.append(_("E-mail: {email}").format(email=escape(contact.email or "—")))
    if card.company and card.company.address:
        lines.append(_("Company address: {address}").format(
            address=escape(card.company.address)))
    address = escape(contact.address) if contact.address else _(
        "— (/edit c{id} address &lt;street, postcode town&gt;)").format(id=contact.id)
    lines.append(_("Address: {address}").format(address=address))
    if contact.tg_chat_id is not None:
        lines.append(_("Telegram: ✅ connected — they have written to the bot, rules can "
                       "message them."))
    else:
        lines.append(_("Telegram: not connected — they have not written to the bot yet."))
    lines.append("")
    type_names = {t.code: localized(t, language) for t in types}
    if card.items:
        lines.append(_("<b>Latest items</b>") if card.more_items else _("<b>Items</b>"))
        for item in card.items:
            stage = stages.get(item.stage_id)
            lines.append(
                f"#{item.id} {escape(type_names.get(item.type_code, item.type_code))} · "
                f"{escape(item.title)} · {escape(money(item.amount, item.currency, language))}"
                f" · {escape(localized(stage, language)) if stage else ''}")
    else:
        lines.append(_("No items with this contact that you can see."))
    lines.append("")
    lines.append(_("Change: /edit c{id} phone|email|name|company &lt;value&gt; "
                   "(- clears)").format(id=contact.id))
    if note:
        lines.extend(["", note])
    return "\n".join(lines)


def card_keyboard(card: ContactCard) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[
        [_button(f"#{item.id} {item.title[:30]}", CardCb(action=CardAction.OPEN, item_id=item.id))]
        for item in card.items])


def _why(duplicate: Duplicate) -> str:
    reasons = [text for key, text in (("name", _("same name")), ("phone", _("same phone")),
                                      ("email", _("same e-mail"))) if key in duplicate.by]
    return ", ".join(reasons)


def duplicates_text(name: str, duplicates: list[Duplicate]) -> str:
    lines = [_("There is already a contact like “{name}”:").format(name=echo(name))]
    for duplicate in duplicates:
        lines.append(f"• {_summary(duplicate.contact, {})} ({_why(duplicate)})")
    lines.append(_("Use the existing one, or create “{name}” anyway?").format(name=echo(name)))
    return "\n".join(lines)


def duplicates_keyboard(duplicates: list[Duplicate]) -> InlineKeyboardMarkup:
    rows = [[_button(_("Use {name}").format(name=d.contact.name[:40]),
                     DuplicateCb(choice=DuplicateChoice.USE, contact_id=d.contact.id))]
            for d in duplicates]
    rows.append([_button(_("Create new anyway"), DuplicateCb(choice=DuplicateChoice.NEW))])
    return InlineKeyboardMarkup(inline_keyboard=rows)
