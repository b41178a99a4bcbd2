"""The fake Telegram server through aiogram's polling: messages, buttons, files and
redelivered updates reach a tiny bot (conftest.py) as from real Telegram."""

from __future__ import annotations

from typing import Any

import pytest

from tests.fake_telegram import FakeTelegram, Toast
from tests.test_fake_telegram.conftest import USER_ID

RULES = b"rules:\n  - when: deal_won\n    then: notify\n"


async def test_echo_and_commands(tg: FakeTelegram, anna: Any, seen_updates: list[int]) -> None:
    anna.send("hello there")
    echo = await tg.wait_for_message(USER_ID)
    assert echo.text == "hello there"
    assert echo.message_id == 2  # the user's message was 1: ids are per chat

    anna.send("/start deal-42")
    welcome = await tg.wait_for_message(USER_ID)
    assert welcome.text == "Welcome! args=deal-42"  # bot_command entity made Command() match
    assert [c.method for c in tg.calls] == ["getMe", "sendMessage", "sendMessage"]


async def test_pressing_a_button_edits_the_message_and_shows_a_toast(
    tg: FakeTelegram, anna: Any, seen_updates: list[int]
) -> None:
    anna.send("/menu")
    menu = await tg.wait_for_message(USER_ID)
    assert menu.buttons == [[("✅ Approve", "approve:7"), ("Docs", "https://example.com/docs")]]

    query_id = anna.press_button(menu, "Approve")
    await tg.wait_for_call("answerCallbackQuery")

    assert menu.text == "<b>Approved</b> deal #7"
    assert menu.rendered == "Approved deal #7"
    assert menu.entities == [{"type": "bold", "offset": 0, "length": 8}]
    assert menu.reply_markup is None  # editing without reply_markup drops the keyboard
    assert [version.text for version in menu.edits] == ["Approve deal #7?"]
    assert tg.toasts == [Toast(query_id, "Done!", False)]
    assert tg.calls_to("editMessageText")[0].ok
    with pytest.raises(AssertionError, match="Approve"):
        anna.press_button(menu, "Approve")  # the button is gone now


async def test_user_document_is_downloadable(
    tg: FakeTelegram, anna: Any, seen_updates: list[int]
) -> None:
    anna.send_document(file_name="rules.yaml", content=RULES)
    reply = await tg.wait_for_message(USER_ID)
    assert reply.text == f"rules.yaml: {RULES!r}"


async def test_redelivered_update_reaches_the_bot_again(
    tg: FakeTelegram, anna: Any, seen_updates: list[int]
) -> None:
    update_id = anna.send("only once, please")
    await tg.wait_for_message(USER_ID)
    assert tg.push_raw_update(tg.update(update_id)) == update_id
    await tg.wait_for_message(USER_ID)  # deduplication is the bot's job, not Telegram's
    await tg.wait_until_idle()
    assert seen_updates == [update_id, update_id]
    assert tg.pending_updates == []
