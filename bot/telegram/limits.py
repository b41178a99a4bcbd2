"""Every call the bot makes keeps within what Telegram accepts, in one place (a session
middleware) rather than in each handler:

- a message longer than 4,096 characters goes out as several, the buttons under the last;
- an edit, a caption or the answer to a button press that is too long is shortened ("…");
- an edit that changes nothing ("message is not modified": the same page pressed again)
  and a button press answered too late ("query is too old") are no errors.
"""

from __future__ import annotations

from typing import Any, cast

from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageCaption,
    EditMessageReplyMarkup,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import Response, TelegramType

from bot.telegram.text_limits import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    TOAST_LIMIT,
    shorten_text,
    split_text,
)

_EDITS = (EditMessageText, EditMessageCaption, EditMessageReplyMarkup)


def _is_html(bot: Bot, method: TelegramMethod[Any]) -> bool | None:
    """Whether the text is HTML; None when it carries entities of its own (left alone)."""
    if getattr(method, "entities", None) or getattr(method, "caption_entities", None):
        return None
    mode = getattr(method, "parse_mode", None)
    if isinstance(mode, Default):
        mode = bot.default[mode.name]
    if mode is None:
        return False
    return str(getattr(mode, "value", mode)).lower() == "html" or None  # Markdown: left alone


def _within_limits(bot: Bot, method: TelegramMethod[Any]) -> TelegramMethod[Any]:
    """The call with its edit text, caption or toast shortened where too long."""
    is_html = _is_html(bot, method)
    text, caption = getattr(method, "text", None), getattr(method, "caption", None)
    if isinstance(method, EditMessageText) and text and is_html is not None:
        return method.model_copy(update={"text": shorten_text(text, TEXT_LIMIT, is_html)})
    if isinstance(method, (SendDocument, SendPhoto, EditMessageCaption)) and caption \
            and is_html is not None:
        return method.model_copy(update={"caption": shorten_text(caption, CAPTION_LIMIT,
                                                                 is_html)})
    if isinstance(method, AnswerCallbackQuery) and text:
        return method.model_copy(update={"text": shorten_text(text, TOAST_LIMIT, False)})
    return method


def _harmless(method: TelegramMethod[Any], error: TelegramBadRequest) -> bool:
    text = error.message.lower()
    if isinstance(method, _EDITS):
        return "message is not modified" in text
    return isinstance(method, AnswerCallbackQuery) and "query is too old" in text


class KeepWithinLimits(BaseRequestMiddleware):
    """Session middleware; register it before the pacing one, so each part is paced."""

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        if isinstance(method, SendMessage) and (is_html := _is_html(bot, method)) is not None:
            parts = split_text(method.text, TEXT_LIMIT, is_html)
            if len(parts) > 1:
                return await self._send_parts(make_request, bot, method, parts)
        method = cast(TelegramMethod[TelegramType], _within_limits(bot, method))
        try:
            return await make_request(bot, method)
        except TelegramBadRequest as error:
            if not _harmless(method, error):
                raise
            # Nothing to change / too late to answer: what the caller wanted is the case.
            return cast(Response[TelegramType], True)

    async def _send_parts(self, make_request: NextRequestMiddlewareType[TelegramType],
                          bot: Bot, method: SendMessage, parts: list[str]
                          ) -> Response[TelegramType]:
        """Sends each part in order; the buttons go under the last, the reply on the first.
        Returns the last message (the one with the buttons)."""
        sent: Response[TelegramType] | None = None
        for number, part in enumerate(parts):
            last = number == len(parts) - 1
            piece = method.model_copy(update={
                "text": part,
                "reply_markup": method.reply_markup if last else None,
                "reply_parameters": method.reply_parameters if number == 0 else None,
                "reply_to_message_id": method.reply_to_message_id if number == 0 else None,
            })
            sent = await make_request(bot, cast(TelegramMethod[TelegramType], piece))
        assert sent is not None  # there are at least two parts
        return sent
