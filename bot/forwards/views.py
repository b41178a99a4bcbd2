"""Texts and buttons of the offer for forwarded messages."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape
from bot.files.lines import shorten
from bot.forwards.callbacks import ForwardAction, ForwardCb
from bot.inquiries.views import type_text
from bot.items.callbacks import CardAction, CardCb
from crm.models import Item
from crm.services.forwards import Forwarded, Offer

SNIPPET = 300


def offer_text(name: str, forwarded: Forwarded, offer: Offer) -> str:
    count = len(forwarded.texts)
    lines = [ngettext("↪️ <b>{count} forwarded message</b> from {name}",
                      "↪️ <b>{count} forwarded messages</b> from {name}", count).format(
        count=count, name=escape(name))]
    if offer.contact is not None:
        lines.append(_("👤 Contact: {name} (already in the CRM)").format(
            name=escape(offer.contact.name)))
    else:
        lines.append(_("👤 A new contact {name} will be made.").format(name=escape(name)))
    if forwarded.text:
        lines += ["", f"<i>{escape(shorten(forwarded.text, SNIPPET))}</i>"]
    if forwarded.files:
        lines.append(ngettext("📎 {count} file", "📎 {count} files",
                              len(forwarded.files)).format(count=len(forwarded.files)))
    lines += ["", _("Make a new item of it, or add it to an item?") if offer.classic
              else _("Make a deal of it, or add it to an item?")]
    return "\n".join(lines)


def offer_keyboard(offer: Offer) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("➕ New deal"),
                   callback_data=ForwardCb(action=ForwardAction.CREATE_DEAL))
    if offer.classic:
        builder.button(text=_("➕ New lead"),
                       callback_data=ForwardCb(action=ForwardAction.CREATE_LEAD))
    for item in offer.open_items:
        builder.button(text=_("📎 Add to #{id} {title}").format(
            id=item.id, title=shorten(item.title, 30)),
            callback_data=ForwardCb(action=ForwardAction.ATTACH, item_id=item.id))
    builder.button(text=_("📎 Add to another item"),
                   callback_data=ForwardCb(action=ForwardAction.ASK_ITEM))
    builder.button(text=_("✖️ Cancel"), callback_data=ForwardCb(action=ForwardAction.CANCEL))
    builder.adjust(2 if offer.classic else 1, *([1] * (len(offer.open_items) + 2)))
    return builder.as_markup()


def ask_name(hint: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    text = _("↪️ The sender hides their Telegram account. What is their name? Type it, "
             "or /cancel.")
    if not hint:
        return text, None
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Use “{name}”").format(name=shorten(hint, 40)),
                   callback_data=ForwardCb(action=ForwardAction.USE_NAME))
    return text, builder.as_markup()


def ask_item() -> str:
    return _("Which item shall the messages go to? Type its number, or /cancel.")


def not_a_number() -> str:
    return _("That is not an item number. Type the number, e.g. 12, or /cancel.")


def created(item: Item) -> tuple[str, InlineKeyboardMarkup]:
    text = _("✅ {what} #{id} “{title}” made from the forwarded messages; their text is its "
             "first note.").format(what=type_text(item.type_code), id=item.id,
                                   title=escape(item.title))
    return text, open_button(item.id)


def attached(item: Item) -> tuple[str, InlineKeyboardMarkup]:
    text = _("✅ The forwarded messages are kept on #{id} “{title}”.").format(
        id=item.id, title=escape(item.title))
    return text, open_button(item.id)


def open_button(item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Open #{id}").format(id=item_id),
                   callback_data=CardCb(action=CardAction.OPEN, item_id=item_id))
    return builder.as_markup()


def cancelled() -> str:
    return _("Nothing was made of the forwarded messages.")


def offer_gone() -> str:
    return _("This offer is no longer open. Forward the messages again.")
