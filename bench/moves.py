"""Stage moves per second through the whole stack, against a bare aiogram handler.

    .venv/bin/python bench/moves.py                 # 100 cards, 4 rounds, 3 trials each
    .venv/bin/python bench/moves.py --cards 20 --rounds 10 --trials 5

Both sides run in this process, each polling a fake Telegram Bot API server of its own
(tests/fake_telegram, loopback HTTP) through aiogram's real session and getUpdates. A round
presses a stage button on every card at once and ends when the fake server has seen every
card edited (editMessageText). Whole stack: update → dedupe and staff lookup → dispatcher
→ ItemService.move (committed SQLite transaction: item, history row, domain event and the
rules engine's planning) → card re-read and rendered → editMessageText → toast. Bare: an
aiogram handler that edits the message and answers. The CRM runs without the shipped rule
set (DEFAULT_RULES off), so its moves plan no rule runs. Trials alternate between the two
sides; the best trial of each counts (other load on the machine only ever slows a trial).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

# As a script, bench/ comes first on the path and bench/rules.py would hide the rules
# package: put the repository root before it (it also holds the tests' fake Bot API).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.app import CrmBot, create_app
from bot.settings import Settings
from crm.services.items import NewItem
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage

ROOT = Path(__file__).resolve().parents[1]
ADMIN_ID = 1001
Trial = Callable[[], Awaitable[float]]


async def until(tg: FakeTelegram, done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: gave up waiting for {what}\n{tg.describe()}")
        await tg.state.changed.wait(1)


class EditCounter:
    """Successful editMessageText calls the fake server has seen (counted incrementally)."""

    def __init__(self, tg: FakeTelegram) -> None:
        self.calls, self.seen, self.count = tg.calls, len(tg.calls), 0

    def __call__(self) -> int:
        for call in self.calls[self.seen:]:
            self.count += call.method == "editMessageText" and call.ok
        self.seen = len(self.calls)
        return self.count


def stage_button(card: SentMessage, number: int) -> str:
    """Next stage on even rounds, previous on odd ones: items go back and forth."""
    wanted = "▶" if number % 2 == 0 else "◀"
    return next(data or "" for row in card.buttons for text, data in row if wanted in text)


def trial(tg: FakeTelegram, user: FakeUser, cards: list[SentMessage], rounds: int) -> Trial:
    """Moves per second over `rounds` rounds of pressing every card (after one warm-up)."""
    presses = itertools.count()

    async def run() -> float:
        started, edits = 0.0, EditCounter(tg)
        for number in range(rounds + 1):
            if number == 1:
                started = time.perf_counter()
            target, press = edits() + len(cards), next(presses)
            for card in cards:
                user.press(card, stage_button(card, press))
            await until(tg, lambda target=target: edits() >= target, "the edits of a round")
        return len(cards) * rounds / (time.perf_counter() - started)

    return run


def polling(bot: Bot, dp: Dispatcher) -> asyncio.Task[None]:
    return asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1,
                                                close_bot_session=False))


async def whole_stack(tg: FakeTelegram, folder: Path, cards: int) -> tuple[CrmBot, FakeUser,
                                                                           list[SentMessage]]:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token=tg.token, telegram_api_base=tg.base_url,
        database_path=folder / "bench.sqlite3", admin_ids=[ADMIN_ID], default_rules=False,
        data_dir=folder / "data", templates_dir=ROOT / "templates")
    app = await create_app(settings)
    app.dp["polling"] = polling(app.bot, app.dp)
    admin = tg.user(ADMIN_ID, "Bench", "Admin")
    admin.send("/start")
    await until(tg, lambda: bool(tg.messages_to(ADMIN_ID)), "the greeting")
    staff = await app.services.staff.identify(ADMIN_ID)
    for n in range(cards):
        item = await app.services.items.create(staff, NewItem("deal", f"Deal {n}"))
        admin.send(f"/item {item.id}")
    await until(tg, lambda: len(tg.messages_to(ADMIN_ID)) > cards, "the cards")
    return app, admin, tg.messages_to(ADMIN_ID)[1:]


async def moves_recorded(app: CrmBot) -> int:
    async with app.services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall("SELECT COUNT(*) FROM stage_history")
    return int(next(iter(rows))[0])


def bare_router() -> Router:
    router, counter = Router(), itertools.count()

    @router.callback_query()
    async def move(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        await query.message.edit_text(f"Card, version {next(counter)}",
                                      reply_markup=query.message.reply_markup)
        await query.answer("Moved")

    return router


async def bare_handler(tg: FakeTelegram, cards: int) -> tuple[Bot, Dispatcher, FakeUser,
                                                              list[SentMessage]]:
    bot = Bot(tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)))
    dp = Dispatcher()
    dp.include_router(bare_router())
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text="◀ back", callback_data="back"),
        InlineKeyboardButton(text="next ▶", callback_data="next")]])
    user = tg.user(ADMIN_ID, "Bench")
    for _ in range(cards):
        await bot.send_message(ADMIN_ID, "Card", reply_markup=keyboard)
    dp["polling"] = polling(bot, dp)
    return bot, dp, user, list(tg.sent)


async def stop(bot: Bot, dp: Dispatcher) -> None:
    await dp.stop_polling()
    await dp["polling"]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100, help="cards pressed per round")
    parser.add_argument("--rounds", type=int, default=4, help="measured rounds per trial")
    parser.add_argument("--trials", type=int, default=3, help="trials of each side")
    args = parser.parse_args()
    stack_tg, bare_tg = FakeTelegram(), FakeTelegram()
    await stack_tg.start()
    await bare_tg.start()
    with tempfile.TemporaryDirectory() as folder:
        app, admin, cards = await whole_stack(stack_tg, Path(folder), args.cards)
        bot, dp, user, messages = await bare_handler(bare_tg, args.cards)
        try:
            sides = {"stack": trial(stack_tg, admin, cards, args.rounds),
                     "bare": trial(bare_tg, user, messages, args.rounds)}
            rates: dict[str, list[float]] = {"stack": [], "bare": []}
            for _ in range(args.trials):
                for side, run in sides.items():
                    rates[side].append(await run())
            moved = await moves_recorded(app)
        finally:
            await stop(app.bot, app.dp)
            await app.close()
            await stop(bot, dp)
            await bot.session.close()
            await stack_tg.stop()
            await bare_tg.stop()
    presses = args.trials * args.cards * (args.rounds + 1)
    assert moved == args.cards + presses, f"{moved - args.cards} moves for {presses} presses"
    report(rates, args.cards * args.rounds)


def report(rates: dict[str, list[float]], moves: int) -> None:
    stack, bare = max(rates["stack"]), max(rates["bare"])
    trials = lambda side: ", ".join(f"{r:.0f}" for r in rates[side])  # noqa: E731
    print(f"whole stack (SQLite, service, card): {stack:7.1f} moves/s   "
          f"(best of {trials('stack')}; {moves} moves a trial)")
    print(f"bare aiogram handler (edit, answer): {bare:7.1f} moves/s   "
          f"(best of {trials('bare')})")
    print(f"ratio whole stack / bare:            {stack / bare:7.3f}")


if __name__ == "__main__":
    asyncio.run(main())
