"""The Telegram transport of the outbox: sends rows with the real Bot and turns aiogram's
exceptions into the engine's (wait, try again later, never)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CardAction, CardCb
from rules.model import OutboxRow
from rules.ports import PermanentError, RetryAfter, TransientError


class TelegramTransport:
    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def deliver(self, row: OutboxRow) -> int | None:
        assert row.chat_id is not None  # telegram rows always name their chat
        try:
            message = await self._bot.send_message(
                row.chat_id, row.payload["text"], reply_markup=keyboard(row.payload))
        except TelegramRetryAfter as error:
            raise RetryAfter(error.retry_after) from error
        except TelegramForbiddenError as error:
            raise PermanentError("blocked", error.message) from error
        except TelegramBadRequest as error:
            code = "chat_not_found" if "chat not found" in error.message.lower() else \
                "send_rejected"
            raise PermanentError(code, error.message) from error
        except (TelegramNetworkError, TelegramServerError) as error:
            raise TransientError(error.message) from error
        return message.message_id


def keyboard(payload: dict[str, Any]) -> InlineKeyboardMarkup | None:
    """Buttons the engine asked for: open an item card, or a link."""
    rows = []
    for row in payload.get("buttons") or []:
        buttons = []
        for button in row:
            if button.get("item_id"):
                data = CardCb(action=CardAction.OPEN, item_id=button["item_id"]).pack()
                buttons.append(InlineKeyboardButton(text=button["text"], callback_data=data))
            elif button.get("url"):
                buttons.append(InlineKeyboardButton(text=button["text"], url=button["url"]))
        if buttons:
            rows.append(buttons)
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None
