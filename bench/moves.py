"""Stage moves per second through the whole stack, against a bare aiogram handler.

    .venv/bin/python bench/moves.py                 # 100 cards, 6 measured rounds each
    .venv/bin/python bench/moves.py --cards 50 --rounds 4

Both run in this process against the same fake Telegram Bot API server (tests/fake_telegram,
loopback HTTP), which aiogram's real session polls with getUpdates. A round presses a stage
button on every card at once; it ends when the fake server has seen every card edited
(editMessageText). Whole stack: update → dedupe → staff lookup → dispatcher → ItemService
.move (committed SQLite transaction, history row, domain event) → card re-read and rendered
→ editMessageText → toast. Bare: an aiogram handler that edits the message and answers.
The CRM runs without the shipped rule set (DEFAULT_RULES off): its moves plan no rule runs.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# As a script, bench/ comes first on the path and bench/rules.py would hide the rules
# package: put the repository root before it (it also holds the tests' fake Bot API).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.app import create_app
from bot.settings import Settings
from crm.services.items import NewItem
from tests.fake_telegram import FakeTelegram

ROOT = Path(__file__).resolve().parents[1]
ADMIN_ID = 1001
Pick = Callable[[Any, int], str]  # (card, round) -> callback data to press


async def until(tg: Any, done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: gave up waiting for {what}\n{tg.describe()}")
        await tg.state.changed.wait(1)


def edits(tg: Any) -> int:
    return sum(1 for call in tg.calls if call.method == "editMessageText" and call.ok)


async def measure(tg: Any, user: Any, cards: list[Any], rounds: int, pick: Pick) -> float:
    """Moves per second over `rounds` rounds (after one round of warm-up)."""
    started = 0.0
    for number in range(rounds + 1):
        if number == 1:
            started = time.perf_counter()
        target = edits(tg) + len(cards)
        for card in cards:
            user.press(card, pick(card, number))
        await until(tg, lambda target=target: edits(tg) >= target, f"round {number}'s edits")
    return len(cards) * rounds / (time.perf_counter() - started)


def stage_button(card: Any, number: int) -> str:
    """Next stage on even rounds, previous on odd ones: items go back and forth."""
    wanted = (lambda text: text.endswith("▶")) if number % 2 == 0 else (
        lambda text: text.startswith("◀"))
    return next(data for row in card.buttons for text, data in row if wanted(text))


async def polling(bot: Bot, dp: Dispatcher) -> asyncio.Task[None]:
    return asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1,
                                                close_bot_session=False))


async def whole_stack(tg: Any, folder: Path, cards: int, rounds: int) -> float:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token=tg.token, telegram_api_base=tg.base_url,
        database_path=folder / "bench.sqlite3", admin_ids=[ADMIN_ID], default_rules=False,
        data_dir=folder / "data", templates_dir=ROOT / "templates")
    app = await create_app(settings)
    task = await polling(app.bot, app.dp)
    try:
        admin = tg.user(ADMIN_ID, "Bench", "Admin")
        admin.send("/start")
        await until(tg, lambda: bool(tg.messages_to(ADMIN_ID)), "the greeting")
        staff = await app.services.staff.identify(ADMIN_ID)
        for n in range(cards):
            item = await app.services.items.create(staff, NewItem("deal", f"Deal {n}"))
            admin.send(f"/item {item.id}")
        await until(tg, lambda: len(tg.messages_to(ADMIN_ID)) > cards, "the cards")
        rate = await measure(tg, admin, tg.messages_to(ADMIN_ID)[1:], rounds, stage_button)
        card = await app.services.cards.card(None, 1)
        assert len(card.history) == 1 + rounds + 1, "every press moved exactly once"
        return rate
    finally:
        await app.dp.stop_polling()
        await task
        await app.close()


def bare_router() -> Router:
    router, counter = Router(), itertools.count()

    @router.callback_query()
    async def move(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"Card, version {next(counter)}",
                                      reply_markup=query.message.reply_markup)
        await query.answer("Moved")

    return router


async def bare_handler(tg: Any, cards: int, rounds: int) -> float:
    bot = Bot(tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
    dp = Dispatcher()
    dp.include_router(bare_router())
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="◀ back", callback_data="back"),
        InlineKeyboardButton(text="next ▶", callback_data="next")]])
    since = len(tg.sent)
    for _ in range(cards):
        await bot.send_message(ADMIN_ID, "Card", reply_markup=keyboard)
    task = await polling(bot, dp)
    try:
        return await measure(tg, tg.user(ADMIN_ID, "Bench"), tg.sent[since:], rounds,
                             stage_button)
    finally:
        await dp.stop_polling()
        await task
        await bot.session.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100, help="cards pressed per round")
    parser.add_argument("--rounds", type=int, default=6, help="measured rounds")
    args = parser.parse_args()
    tg = FakeTelegram()
    await tg.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            stack = await whole_stack(tg, Path(folder), args.cards, args.rounds)
        bare = await bare_handler(tg, args.cards, args.rounds)
    finally:
        await tg.stop()
    moves = args.cards * args.rounds
    print(f"whole stack (SQLite, service, card):  {stack:8.1f} moves/s  ({moves} moves)")
    print(f"bare aiogram handler (answer, edit):  {bare:8.1f} moves/s  ({moves} presses)")
    print(f"ratio whole stack / bare:             {stack / bare:8.3f}")


if __name__ == "__main__":
    asyncio.run(main())
