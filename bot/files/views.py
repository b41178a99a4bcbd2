"""Client files as staff see them: a line per file, the /files list, the notification."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape, moment
from bot.files.callbacks import FileAction, FileCb
from bot.files.lines import file_line, file_words
from bot.inquiries.views import inquiry_keyboard, notification_text
from crm.models import ClientFile
from crm.services.client_files import ICONS, SENDABLE, KeptFile, PhoneNews
from crm.services.inquiries import InquiryFiled

CAPTION_BODY = 600  # characters of the caption in a notification (Telegram allows 1,024)


def phone_news(kept: KeptFile, name: str) -> str | None:
    """What a shared contact did to the client's phone number, for staff."""
    number = escape(kept.file.phone or "")
    if kept.phone is PhoneNews.FILLED:
        return _("☎️ Phone number {phone} saved for {name}.").format(phone=number, name=name)
    if kept.phone is PhoneNews.DIFFERS:
        return _("☎️ {name} shared {new}, but {old} is kept. Which one is right?").format(
            name=name, new=number, old=escape(kept.old_phone or ""))
    if kept.phone is PhoneNews.NOT_OWN:
        return _("☎️ This is someone else's contact: the phone number of {name} stays as "
                 "it is.").format(name=name)
    if kept.phone is PhoneNews.INVALID:
        return _("☎️ This contact has no phone number that can be kept.")
    return None


def file_notification(event: InquiryFiled) -> str:
    """The notification of a client's file (a caption, or a message for a contact)."""
    assert event.file is not None
    text = notification_text(event.result, event.client,
                             file_words(event.file.file, CAPTION_BODY))
    news = phone_news(event.file, escape(event.client.name or str(event.client.user_id)))
    return f"{text}\n\n{news}" if news else text


def file_keyboard(item_id: int, kept: KeptFile, take: bool = False,
                  phones: tuple[str, ...] = ()) -> InlineKeyboardMarkup:
    """The inquiry's buttons (🙋 Take it while nobody is responsible, numbers in the
    caption to save); for a contact whose number differs, the choice."""
    rows = list(inquiry_keyboard(item_id, take=take, rename=take, phones=phones).inline_keyboard)
    if kept.phone is PhoneNews.DIFFERS:
        rows.append([
            InlineKeyboardButton(
                text=_("Use {phone}").format(phone=kept.file.phone or ""),
                callback_data=FileCb(action=FileAction.USE_PHONE, file_id=kept.file.id).pack()),
            InlineKeyboardButton(
                text=_("Keep {phone}").format(phone=kept.old_phone or ""),
                callback_data=FileCb(action=FileAction.KEEP_PHONE,
                                     file_id=kept.file.id).pack()),
        ])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def files_text(item_id: int, files: list[ClientFile], language: str, timezone: str) -> str:
    if not files:
        return _("No files on #{id} yet: photos, voice messages, files and contacts the "
                 "client sends are kept here.").format(id=item_id)
    lines = [_("<b>Files of #{id}</b> — a button sends one to you again").format(id=item_id)]
    for number, file in enumerate(files, 1):
        when = moment(file.at, language, timezone) if file.at else ""
        lines.append(f"{number}. {when} · {file_line(file, 120)}")
    return "\n".join(lines)


def files_keyboard(files: list[ClientFile]) -> InlineKeyboardMarkup | None:
    buttons = [InlineKeyboardButton(
        text=f"{ICONS.get(file.kind, '📎')} {number}",
        callback_data=FileCb(action=FileAction.SEND, file_id=file.id).pack())
        for number, file in enumerate(files, 1) if file.kind in SENDABLE and file.file_id]
    rows = [buttons[i:i + 5] for i in range(0, len(buttons), 5)]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def files_usage() -> str:
    return _("/files <number> — the photos, voice messages, files and contacts of an item, "
             "e.g. /files 12")


def file_gone() -> str:
    return _("This file is not kept any more.")


def telegram_lost_file() -> str:
    return _("Telegram cannot send this file any more.")


def phone_used(name: str, phone: str) -> str:
    return _("☎️ The phone number of {name} is {phone} now.").format(name=escape(name),
                                                                     phone=escape(phone))


def phone_kept() -> str:
    return _("☎️ The phone number stays as it is.")

