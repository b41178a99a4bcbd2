"""Client inquiries as staff see them: the notification and the conversation."""

from __future__ import annotations

from collections.abc import Mapping

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape, moment
from bot.files.lines import file_line
from bot.inquiries.callbacks import InquiryAction, InquiryCb, InquiryPhoneCb
from bot.items.callbacks import CardAction, CardCb
from crm.models import ClientFile, TimelineEntry, TimelineKind
from crm.services.inquiries import ClientInfo, InquiryResult
from crm.services.inquiry_desk import phone_display

SNIPPET = 1000  # characters of the client's message shown in a notification
LINE = 300  # characters of each message shown in a conversation


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def type_text(type_code: str) -> str:
    return {"lead": _("Lead"), "deal": _("Deal")}.get(type_code, type_code)


def client_label(client: ClientInfo) -> str:
    name = escape(client.name or str(client.user_id))
    return name + (f" (@{escape(client.username)})" if client.username else "")


def notification_text(result: InquiryResult, client: ClientInfo, text: str) -> str:
    what = f"{type_text(result.type_code)} #{result.item_id}"
    head = (_("📩 <b>New inquiry</b> from {client} · {item}") if result.created
            else _("📩 <b>New message</b> from {client} · {item}"))
    body = shorten(text, SNIPPET)
    return "\n".join([
        head.format(client=client_label(client), item=what), "",
        f"<i>{escape(body)}</i>", "",
        _("Answer by replying to this message, or with /reply {id} &lt;text&gt;.").format(
            id=result.item_id),
    ])


def inquiry_keyboard(item_id: int, take: bool = False, rename: bool = False,
                     phones: tuple[str, ...] = ()) -> InlineKeyboardMarkup:
    """The card's own OPEN button and the conversation (a reply to the notification finds
    the item by the conversation's button); `take`: nobody is responsible yet (🙋 Take it);
    `rename`: a new inquiry, titled from its first words (✏️ Rename); `phones`: numbers of
    the message to keep as the contact's phone."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Open #{id}").format(id=item_id),
                   callback_data=CardCb(action=CardAction.OPEN, item_id=item_id))
    builder.button(text=_("💬 Conversation"),
                   callback_data=InquiryCb(action=InquiryAction.TIMELINE, item_id=item_id))
    sizes = [2]
    if take:
        builder.button(text=_("🙋 Take it"),
                       callback_data=InquiryCb(action=InquiryAction.TAKE, item_id=item_id))
    if rename:
        builder.button(text=_("✏️ Rename"),
                       callback_data=InquiryCb(action=InquiryAction.RENAME, item_id=item_id))
    if take or rename:
        sizes.append(int(take) + int(rename))
    for number in phones:
        builder.button(text=_("📞 Save {number} as phone").format(number=phone_display(number)),
                       callback_data=InquiryPhoneCb(item_id=item_id, number=number))
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def timeline_keyboard(item_id: int) -> InlineKeyboardMarkup:
    """Under a conversation view: a reply to it answers the client (found by the button)."""
    builder = InlineKeyboardBuilder()
    builder.button(text=_("🔄 Update"),
                   callback_data=InquiryCb(action=InquiryAction.TIMELINE, item_id=item_id))
    return builder.as_markup()


def timeline_text(item_id: int, entries: list[TimelineEntry], team: dict[int, str],
                  language: str, timezone: str,
                  files: Mapping[int, ClientFile] | None = None) -> str:
    """`files`: the client files of the lines of kind client_file (bot/files/)."""
    lines = [_("<b>Conversation of #{id}</b>").format(id=item_id)]
    if not entries:
        lines.append(_("No messages yet."))
    for entry in entries:
        when = moment(entry.at, language, timezone)
        if entry.kind is TimelineKind.CLIENT_MESSAGE:
            who = _("👤 Client")
        elif entry.kind is TimelineKind.STAFF_REPLY:
            who = "💬 " + escape(team.get(entry.author_id or 0, _("team")))
        elif entry.kind is TimelineKind.CLIENT_BUTTON:
            who = _("👆 Client pressed")
        elif entry.kind is TimelineKind.CLIENT_FILE:
            who = "↪️ " + escape(team.get(entry.author_id, _("team"))) if entry.author_id \
                else _("👤 Client")
            file = (files or {}).get(entry.id or 0)
            if file is not None:
                lines.append(f"{when} · {who}: {file_line(file, LINE)}")
                continue
        else:
            who = "📝"
        lines.append(f"{when} · {who}: {escape(shorten(entry.text, LINE))}")
    return "\n".join(lines)


def reply_usage() -> str:
    return _("/reply <number> <text> — answer the client of an item, e.g. "
             "/reply 12 Yes, we ship to Austria.")
