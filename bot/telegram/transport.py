"""The Telegram transport of the outbox: sends rows with the real Bot and turns aiogram's
exceptions into the engine's (wait, try again later, never).

Its calls go once (`retried_by_caller`): the worker has booked the chat's slot in the pacer,
and a 429 or a network error becomes a later attempt of the durable row, not a wait in the
session's flood control (bot/telegram/flood_wait.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import FSInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.activities.callbacks import activity_button_data
from bot.clients.callbacks import client_button_data
from bot.documents.callbacks import DocAction, DocCb
from bot.files.media import send_file
from bot.items.callbacks import CardAction, CardCb
from bot.telegram.flood_wait import retried_by_caller
from rules.model import OutboxRow
from rules.ports import PermanentError, RetryAfter, TransientError
from rules.reason_codes import Reason


class TelegramTransport:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def deliver(self, row: OutboxRow) -> int | None:
        assert row.chat_id is not None  # telegram rows always name their chat
        with retried_by_caller(), engine_errors():
            if row.kind == "file":  # a client's file again, by its file_id (bot/files/)
                message = await send_file(
                    self._bot, row.chat_id, row.payload["file_kind"], row.payload["file_id"],
                    row.payload.get("caption") or None, keyboard(row.payload))
            else:
                message = await self._bot.send_message(
                    row.chat_id, row.payload["text"], reply_markup=keyboard(row.payload))
        return message.message_id

    async def send_document(self, chat_id: int, path: Path, file_name: str, caption: str,
                            buttons: list[list[dict[str, Any]]]) -> int:
        """For the outbox's "document" channel (rules/documents/transport.py)."""
        with retried_by_caller(), engine_errors():
            message = await self._bot.send_document(
                chat_id, FSInputFile(path, filename=file_name), caption=caption or None,
                reply_markup=keyboard({"buttons": buttons}))
        return message.message_id


@contextmanager
def engine_errors() -> Iterator[None]:
    """aiogram's exceptions as the engine's: wait, try again later, or never."""
    try:
        yield
    except TelegramRetryAfter as error:
        raise RetryAfter(error.retry_after) from error
    except TelegramForbiddenError as error:
        raise PermanentError(Reason.BLOCKED, error.message) from error
    except TelegramBadRequest as error:
        code = Reason.CHAT_NOT_FOUND if "chat not found" in error.message.lower() else \
            Reason.SEND_REJECTED
        raise PermanentError(code, error.message) from error
    except (TelegramNetworkError, TelegramServerError) as error:
        raise TransientError(error.message) from error


def keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """Buttons the engine asked for: open an item card, a link, mark an activity done, send
    a document to the client, a client's button; or any callback button the bot queued
    itself."""
    rows = []
    for row in payload.get("buttons") or []:
        buttons = []
        for button in row:
            if button.get("item_id"):
                data = CardCb(action=CardAction.OPEN, item_id=button["item_id"]).pack()
                buttons.append(InlineKeyboardButton(text=button["text"], callback_data=data))
            elif button.get("url"):
                buttons.append(InlineKeyboardButton(text=button["text"], url=button["url"]))
            elif button.get("activity_id"):
                data = activity_button_data(button["activity_id"], button.get("snooze"))
                buttons.append(InlineKeyboardButton(text=button["text"], callback_data=data))
            elif button.get("to_client_document_id"):  # rules/documents/texts.py
                data = DocCb(action=DocAction.TO_CLIENT,
                             document_id=button["to_client_document_id"]).pack()
                buttons.append(InlineKeyboardButton(text=button["text"], callback_data=data))
            elif button.get("client_token"):
                data = client_button_data(button["client_token"])
                buttons.append(InlineKeyboardButton(text=button["text"], callback_data=data))
            elif button.get("callback_data"):  # a button the bot itself queued (markup_payload)
                buttons.append(InlineKeyboardButton(text=button["text"],
                                                    callback_data=button["callback_data"]))
        if buttons:
            rows.append(buttons)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def markup_payload(markup: InlineKeyboardMarkup) -> list[list[dict[str, Any]]]:
    """A keyboard the bot built, as an outbox row carries it (`keyboard` reads it back)."""
    return [[{"text": b.text, "callback_data": b.callback_data} if b.callback_data
             else {"text": b.text, "url": b.url} for b in row]
            for row in markup.inline_keyboard]
