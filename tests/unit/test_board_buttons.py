"""The board's buttons (issue 16): only with WEBAPP_URL, and a web_app button never goes to a
group (Telegram refuses the whole message there): the session middleware takes it off."""

from __future__ import annotations

from typing import Any

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.board.buttons import PrivateWebAppButtons, board_url, with_board_button
from bot.i18n import build_i18n
from bot.settings import Settings

TOKEN = "123456:test-token-0123456789"


def settings(url: str = "") -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN, webapp_url=url)


def test_the_button_opens_the_board_at_what_it_is_under_and_only_with_a_url() -> None:
    plain = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="x",
                                                                        callback_data="x")]])
    assert with_board_button(plain, settings()) is plain
    assert board_url(settings()) is None
    with build_i18n("en").context():
        markup = with_board_button(plain, settings("https://crm.example.com/"), pipeline=2,
                                   item=7)
    button = markup.inline_keyboard[-1][0]
    assert button.text == "📊 Board" and button.web_app is not None
    assert button.web_app.url == "https://crm.example.com/board/?pipeline=2&item=7"


async def test_web_app_buttons_reach_private_chats_only() -> None:
    sent: list[Any] = []

    async def make_request(_bot: Any, method: Any) -> Any:
        sent.append(method)
        return None

    with build_i18n("en").context():
        markup = with_board_button(InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="x", callback_data="x")]]), settings("https://a.example"))
    middleware = PrivateWebAppButtons()
    for chat_id in (42, -100123, "@channel"):
        await middleware(make_request, None, SendMessage(  # type: ignore[arg-type]
            chat_id=chat_id, text="card", reply_markup=markup))
    private, group, channel = (m.reply_markup.inline_keyboard for m in sent)
    assert [b.text for row in private for b in row] == ["x", "📊 Board"]
    assert [b.text for row in group for b in row] == ["x"] == [b.text for row in channel
                                                             for b in row]
