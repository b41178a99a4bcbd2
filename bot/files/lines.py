"""A client file in one line (the conversation, /files, notifications)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from crm.i18n import DASH
from crm.models import ClientFile
from crm.services.client_files import ICONS


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kind_label(kind: str) -> str:
    return {"photo": _("Photo"), "voice": _("Voice message"), "document": _("File"),
            "video": _("Video"), "video_note": _("Video message"), "audio": _("Audio"),
            "contact": _("Contact")}.get(kind, kind)


def size_text(size: int | None) -> str:
    if not size:
        return ""
    if size < 1024 * 1024:
        return f" ({max(1, round(size / 1024))} KB)"
    return f" ({size / (1024 * 1024):.1f} MB)"


def file_words(file: ClientFile, limit: int = 300) -> str:
    """One line, plain text: icon, kind, name or number, size, caption."""
    line = f"{ICONS.get(file.kind, '📎')} {kind_label(file.kind)}"
    if file.kind == "contact":
        details = " ".join(p for p in (file.file_name, file.phone) if p)
        line += f": {details}" if details else ""
    elif file.file_name:
        line += f" {file.file_name}"
    line += size_text(file.file_size) if file.kind == "document" else ""
    if file.caption:
        line += _(DASH) + shorten(file.caption, limit)
    return line


def file_line(file: ClientFile, limit: int = 300) -> str:
    """The same, escaped for Telegram's HTML."""
    return escape(file_words(file, limit))
