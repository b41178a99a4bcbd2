"""The fake Telegram server, exercised through aiogram's real HTTP session and polling:
a Bot on the fake, a tiny bot polling it, and a user who writes to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command, CommandObject
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    TelegramObject,
    Update,
)

from tests.fake_telegram import FakeTelegram

USER_ID = 5001


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
async def tg(tg: FakeTelegram) -> AsyncIterator[FakeTelegram]:
    """The shared fake (tests/conftest.py), checked for errors inside it after each test."""
    yield tg
    assert tg.server_errors == []


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

    async def record(
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)  # the update observer sees whole updates
        seen.append(event.update_id)
        return await handler(event, data)

    dp.update.outer_middleware.register(record)

    dp.include_router(build_router())
    task = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    await tg.wait_for_polling()  # stop_polling() refuses to run before polling has started
    yield seen
    await dp.stop_polling()
    await task


@pytest.fixture
def anna(tg: FakeTelegram) -> Any:
    return tg.user(user_id=USER_ID, first_name="Anna", username="anna", language_code="de")
