"""Where Telegram opens the board: the chat's menu button (setChatMenuButton) of each active
staff member — clients keep Telegram's default — and "📊 Board" under a card and the
pipeline overview. Only when WEBAPP_URL is set.

Mini Apps get a signed initData only when opened from an inline button or the menu button
(from a reply-keyboard button it is empty), so the main menu's way to the board is the
menu button beside it, and the buttons are inline ones. Telegram accepts web_app buttons
in private chats only: `PrivateWebAppButtons` takes them off anything sent elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramAPIError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.settings import Settings
from crm.models import Staff

log = logging.getLogger(__name__)
PAGE_PATH = "/board/"


def board_url(settings: Settings, **params: int) -> str | None:
    """The page's address (with what it should show first), None without WEBAPP_URL."""
    if not settings.webapp_url:
        return None
    url = settings.webapp_url.rstrip("/") + PAGE_PATH
    return url + "?" + urlencode(params) if params else url


def board_button(settings: Settings, **params: int) -> InlineKeyboardButton | None:
    url = board_url(settings, **params)
    return None if url is None else InlineKeyboardButton(text=_("📊 Board"),
                                                         web_app=WebAppInfo(url=url))


def with_board_button(markup: InlineKeyboardMarkup, settings: Settings,
                      **params: int) -> InlineKeyboardMarkup:
    """`markup` with a last row "📊 Board" (as it is without WEBAPP_URL)."""
    button = board_button(settings, **params)
    if button is None:
        return markup
    return InlineKeyboardMarkup(inline_keyboard=[*markup.inline_keyboard, [button]])


async def set_menu_button(bot: Bot, i18n: I18n, staff: Staff, settings: Settings) -> None:
    """The member's menu button: the board for active staff, Telegram's default otherwise
    (removed, or a client). Nothing without WEBAPP_URL."""
    url = board_url(settings)
    if url is None:
        return
    if not staff.active:
        await reset_menu_button(bot, staff.user_id)
        return
    with i18n.context(), i18n.use_locale(staff.language or i18n.default_locale):
        text = _("📊 Board")
    await bot.set_chat_menu_button(chat_id=staff.user_id, menu_button=MenuButtonWebApp(
        text=text, web_app=WebAppInfo(url=url)))


async def reset_menu_button(bot: Bot, user_id: int) -> None:
    await bot.set_chat_menu_button(chat_id=user_id, menu_button=MenuButtonDefault())


async def set_menu_buttons(bot: Bot, i18n: I18n, members: list[Staff],
                           settings: Settings) -> None:
    """At start-up: every member's menu button (one refusal, e.g. a blocked bot, is not
    the others' problem)."""
    for member in members:
        try:
            await set_menu_button(bot, i18n, member, settings)
        except TelegramAPIError as error:
            log.warning("menu button of %s: %s", member.user_id, error)


class PrivateWebAppButtons(BaseRequestMiddleware):
    """A session middleware: inline web_app buttons only where Telegram takes them (a
    private chat: a positive chat id); elsewhere the message goes out without them."""

    async def __call__(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                       method: TelegramMethod[TelegramType]) -> Response[TelegramType]:
        markup = getattr(method, "reply_markup", None)
        chat_id = getattr(method, "chat_id", None)
        if (isinstance(markup, InlineKeyboardMarkup) and isinstance(chat_id, int | str)
                and str(chat_id).startswith(("-", "@")) and _has_web_app(markup)):
            rows = [[b for b in row if b.web_app is None] for row in markup.inline_keyboard]
            method = method.model_copy(update={"reply_markup": InlineKeyboardMarkup(
                inline_keyboard=[row for row in rows if row])})
        return await make_request(bot, method)


def _has_web_app(markup: InlineKeyboardMarkup) -> bool:
    return any(b.web_app is not None for row in markup.inline_keyboard for b in row)
