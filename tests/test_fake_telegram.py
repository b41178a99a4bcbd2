"""The fake Telegram server, exercised through aiogram's real HTTP session and polling."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.filters import Command, CommandObject
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
)

from tests.fake_telegram import FakeTelegram, Toast

USER_ID = 5001
RULES = b"rules:\n  - when: deal_won\n    then: notify\n"


# --- a tiny bot ---------------------------------------------------------------------

def build_router() -> Router:
    router = Router()

    @router.message(Command("start"))
    async def start(message: Message, command: CommandObject) -> None:
        await message.answer(f"Welcome! args={command.args}")

    @router.message(Command("menu"))
    async def menu(message: Message) -> None:
        keyboard = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="✅ Approve", callback_data="approve:7"),
            InlineKeyboardButton(text="Docs", url="https://example.com/docs"),
        ]])
        await message.answer("Approve deal #7?", reply_markup=keyboard)

    @router.callback_query(F.data.startswith("approve:"))
    async def approve(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text("<b>Approved</b> deal #7", parse_mode="HTML")
        await query.answer("Done!")

    @router.message(F.document)
    async def document(message: Message, bot: Bot) -> None:
        assert message.document is not None
        downloaded = await bot.download(message.document)
        assert downloaded is not None
        await message.answer(f"{message.document.file_name}: {downloaded.read()!r}")

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    return router


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()
    assert fake.server_errors == []


@pytest.fixture
async def bot(tg: FakeTelegram) -> AsyncIterator[Bot]:
    assert tg.base_url is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url))
    bot = Bot(tg.token, session=session)
    yield bot
    await bot.session.close()


@pytest.fixture
async def seen_updates(tg: FakeTelegram, bot: Bot) -> AsyncIterator[list[int]]:
    """Runs the bot with polling against the fake; yields the update ids it received."""
    seen: list[int] = []
    dp = Dispatcher()

    @dp.update.outer_middleware()
    async def record(
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        seen.append(event.update_id)  # type: ignore[attr-defined]
        return await handler(event, data)

    dp.include_router(build_router())
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    await tg.wait_for_polling()  # stop_polling() refuses to run before polling has started
    yield seen
    await dp.stop_polling()
    await task


@pytest.fixture
def anna(tg: FakeTelegram) -> Any:
    return tg.user(user_id=USER_ID, first_name="Anna", username="anna", language_code="de")


# --- through polling ------------------------------------------------------------------

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


# --- direct API calls -----------------------------------------------------------------

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
    assert (await bot.download(message.document)).read() == b"a,b\n"  # type: ignore[union-attr]
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
