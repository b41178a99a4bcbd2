"""The fake Telegram server through direct Bot API calls: injected failures, rate limits,
validation errors, files, long polls, and the updates simulated users produce."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)

from tests.fake_telegram import FakeTelegram
from tests.test_fake_telegram.conftest import USER_ID


async def test_injected_429_is_retry_after(tg: FakeTelegram, bot: Bot, anna: Any) -> None:
    tg.fail_next("sendMessage", error_code=429, retry_after=2)
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(USER_ID, "hi")
    assert error.value.retry_after == 2
    assert "Too Many Requests: retry after 2" in str(error.value)
    assert (await bot.send_message(USER_ID, "hi")).text == "hi"  # times=1: next one passes
    assert [call.error_code for call in tg.calls] == [429, None]
    assert len(tg.sent) == 1


async def test_forbidden_for_one_chat(tg: FakeTelegram, bot: Bot, anna: Any) -> None:
    other = tg.user(user_id=5002, first_name="Bert")
    tg.fail_next("sendMessage", error_code=403,
                 description="Forbidden: bot was blocked by the user", chat_id=USER_ID, times=None)
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
            await bot.send_message(USER_ID, "hi")
    await bot.send_message(other.id, "hi")

    tg.block(other.id)
    with pytest.raises(TelegramForbiddenError, match="blocked by the user"):
        await bot.send_message(other.id, "hi again")


async def test_rate_limit(tg: FakeTelegram, bot: Bot, anna: Any) -> None:
    tg.user(user_id=5002)
    tg.rate_limit(per_second=30, per_chat_per_second=1)
    await bot.send_message(USER_ID, "one")
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(USER_ID, "two")
    assert error.value.retry_after == 1
    await bot.send_message(5002, "other chat is fine")
    assert tg.rate_limited_count == 1


async def test_set_my_commands_is_recorded(tg: FakeTelegram, bot: Bot) -> None:
    commands = [BotCommand(command="start", description="Start"),
                BotCommand(command="menu", description="Menu")]
    assert await bot.set_my_commands(commands)
    assert await bot.set_my_commands(commands[:1], scope=BotCommandScopeAllPrivateChats(),
                                     language_code="de")
    assert tg.commands_for() == [("start", "Start"), ("menu", "Menu")]
    assert tg.commands[("all_private_chats", "de")] == [{"command": "start",
                                                         "description": "Start"}]
    fetched = await bot.get_my_commands()
    assert [(c.command, c.description) for c in fetched] == [("start", "Start"), ("menu", "Menu")]
    assert await bot.set_my_description("A CRM") and await bot.delete_webhook()


async def test_telegram_validation_errors(tg: FakeTelegram, bot: Bot, anna: Any) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "nobody")
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "" at byte offset 2'):
        await bot.send_message(USER_ID, "1 < 2", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        button = InlineKeyboardButton(text="x", callback_data="ä" * 33)  # 66 bytes
        await bot.send_message(USER_ID, "x", reply_markup=InlineKeyboardMarkup(
            inline_keyboard=[[button]]))
    sent = await bot.send_message(USER_ID, "same")
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("same", chat_id=USER_ID, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("12345")
    assert [call.error_code for call in tg.calls] == [400, 400, 400, None, 400, 400]


async def test_bot_files_chat_info_and_actions(tg: FakeTelegram, bot: Bot, anna: Any) -> None:
    me = await bot.get_me()
    assert me.is_bot and me.id == 123456
    message = await bot.send_document(USER_ID, BufferedInputFile(b"a,b\n", "export.csv"),
                                      caption="Export")
    assert message.document is not None and message.document.file_name == "export.csv"
    assert tg.sent[-1].kind == "document" and tg.sent[-1].document == b"a,b\n"
    downloaded = await bot.download(message.document)
    assert downloaded is not None and downloaded.read() == b"a,b\n"
    photo = await bot.send_photo(USER_ID, BufferedInputFile(b"\x89PNG", "p.png"))
    assert photo.photo and tg.sent[-1].kind == "photo"
    chat = await bot.get_chat(USER_ID)
    assert (chat.type, chat.first_name, chat.username) == ("private", "Anna", "anna")
    assert await bot.send_chat_action(USER_ID, "typing")
    group = tg.group(chat_id=-100500, title="Sales team")
    group.send(from_user=anna, text="/report@crm_test_bot")
    assert tg.pending_updates[-1]["message"]["chat"]["type"] == "supergroup"


async def test_long_poll_offset_limit_and_conflict(tg: FakeTelegram, bot: Bot, anna: Any) -> None:
    first = anna.send("a")
    anna.send("b")
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first]
    assert [u.update_id for u in await bot.get_updates(offset=first + 1)] == [first + 1]

    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(offset=first + 2, timeout=10))
    await asyncio.sleep(0.2)
    third = anna.send("c")
    assert [u.update_id for u in await poll] == [third]
    assert time.monotonic() - started < 2  # woke up on the new update, not at the timeout

    waiting = asyncio.create_task(bot.get_updates(offset=third + 1, timeout=10))
    await asyncio.sleep(0.2)
    assert await bot.get_updates(offset=third + 1) == []
    with pytest.raises(TelegramConflictError):
        await waiting  # a second poller terminates the first, like real Telegram


async def test_stop_does_not_wait_for_long_polls(tg: FakeTelegram, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await tg.wait_for_polling()
    started = time.monotonic()
    await tg.stop()
    assert await poll == []
    assert time.monotonic() - started < 1.5


async def test_simulated_users_produce_updates_aiogram_accepts(
    tg: FakeTelegram, bot: Bot, anna: Any
) -> None:
    group = tg.group(chat_id=-100500, title="Sales team")
    bert = tg.user(user_id=5002, first_name="Bert")
    sent = await bot.send_message(USER_ID, "Pick", reply_markup=InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Yes", callback_data="yes")]]))
    record = tg.messages_to(USER_ID)[0]
    anna.reply_to(record, "answering")
    anna.press(record, "yes")
    anna.send_photo(b"jpeg")
    group.send(from_user=bert, text="/report@crm_test_bot today")
    anna.block_bot()
    kinds = []
    for raw in tg.pending_updates:
        update = Update.model_validate(raw, context={"bot": bot})
        kinds.append(update.event_type)
    assert kinds == ["message", "callback_query", "message", "message", "my_chat_member"]
    reply = tg.pending_updates[0]["message"]
    assert reply["reply_to_message"]["message_id"] == sent.message_id
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(USER_ID, "still there?")
    with pytest.raises(AssertionError, match="5 update"):
        await tg.wait_until_idle(timeout=0.2)  # nobody polls: the failure explains why
