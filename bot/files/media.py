"""What a Telegram message carries besides text, as a client file (by file_id, nothing is
downloaded); and sending a kept file again by its file_id."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.filters import Filter
from aiogram.types import InlineKeyboardMarkup, Message

from crm.models import ClientFile

# What a client may send: photos, voice notes, files, videos, video notes, audio, contacts.
MEDIA = ("photo", "voice", "document", "video", "video_note", "audio", "contact")
NO_CAPTION = frozenset({"video_note"})  # Telegram sends these without a caption


class ClientMedia(Filter):
    """A photo, voice note, document, video, video note, audio or contact (a Filter, not a
    magic filter: see bot/filters.py PlainText)."""

    async def __call__(self, message: Message) -> bool:
        return any(getattr(message, kind, None) for kind in MEDIA)


def incoming_file(message: Message) -> ClientFile | None:
    """The photo (its largest size), voice note, document, … or shared contact of the
    message; None for none of them."""
    caption = message.caption or ""
    if message.photo:
        best = message.photo[-1]
        return ClientFile("photo", best.file_id, best.file_unique_id, caption,
                          file_size=best.file_size)
    if message.contact:
        contact = message.contact
        name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
        return ClientFile("contact", None, caption=caption, file_name=name or None,
                          phone=contact.phone_number)
    for kind in ("voice", "document", "video", "video_note", "audio"):
        media: Any = getattr(message, kind, None)
        if media is not None:
            return ClientFile(kind, media.file_id, media.file_unique_id, caption,
                              file_name=getattr(media, "file_name", None),
                              mime_type=getattr(media, "mime_type", None),
                              file_size=media.file_size)
    return None


def own_contact(message: Message) -> bool:
    """A shared contact of the sender themself (Telegram names their user id)."""
    return bool(message.contact and message.from_user and
                message.contact.user_id == message.from_user.id)


async def send_file(bot: Bot, chat_id: int, kind: str, file_id: str, caption: str | None,
                    markup: InlineKeyboardMarkup | None) -> Message:
    """Sends a kept file again by its file_id (caption: HTML, at most 1,024 characters)."""
    if kind == "photo":
        return await bot.send_photo(chat_id, file_id, caption=caption, reply_markup=markup)
    if kind == "voice":
        return await bot.send_voice(chat_id, file_id, caption=caption, reply_markup=markup)
    if kind == "video":
        return await bot.send_video(chat_id, file_id, caption=caption, reply_markup=markup)
    if kind == "video_note":
        return await bot.send_video_note(chat_id, file_id, reply_markup=markup)
    if kind == "audio":
        return await bot.send_audio(chat_id, file_id, caption=caption, reply_markup=markup)
    return await bot.send_document(chat_id, file_id, caption=caption, reply_markup=markup)
