"""Small helpers every router uses to answer."""

from __future__ import annotations

import logging
from contextlib import suppress
from html import escape

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, ErrorEvent, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

log = logging.getLogger(__name__)


def parse_item_id(args: str | None) -> int | None:
    text = (args or "").strip().lstrip("#")
    return int(text) if text.isdigit() else None


async def usage(message: Message, line: str) -> None:
    """Answers a wrong call with how to call it right (the line may contain <placeholders>)."""
    await message.answer(_("Usage: {usage}").format(usage=escape(line, quote=False)))


def bot_of(query: CallbackQuery) -> Bot:
    """The Bot that delivered the press: aiogram binds every incoming update's objects to it."""
    if query.bot is None:
        raise RuntimeError("the callback query is not bound to a Bot")
    return query.bot


async def edit(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """Every edit goes through here; False when Telegram refuses it (a message too old to
    edit, or deleted). Limits and "message is not modified" are handled below, for all
    calls alike (bot/telegram/limits.py)."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        log.info("edit refused: %s", error.message)
        return False
    return True


async def edit_or_send(query: CallbackQuery, text: str,
                       markup: InlineKeyboardMarkup | None) -> None:
    """Edits the message the button was on; one too old to edit gets a fresh message."""
    message = query.message
    if isinstance(message, Message):
        if not await edit(message, text, markup):
            with suppress(TelegramBadRequest):
                await message.answer(text, reply_markup=markup)
    elif query.from_user:
        await bot_of(query).send_message(query.from_user.id, text, reply_markup=markup)


async def answer_error(event: ErrorEvent, text: str) -> None:
    """Answers the update that failed: an alert for a button press, else a message."""
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200], show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)
