"""Stage moves per second through the whole stack, against a bare aiogram handler.

    .venv/bin/python bench/moves.py        # 100 cards, 3 rounds a trial, 5 trials a side

Each side polls a fake Telegram Bot API server of its own (tests/fake_telegram, loopback
HTTP) through aiogram's real session. A round presses a stage button on every card at once
and ends when the fake has seen every card edited. Whole stack: update → dedupe, staff →
dispatcher → ItemService.move (committed SQLite transaction, history, domain event, the
rules engine's planning; no rules installed) → card rendered → editMessageText → toast.
Bare: a handler that edits the message (one line, or a copy of a CRM card: "card-sized")
and answers. Trials alternate; each side's best counts (other load only slows a trial).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path

# As a script, bench/ comes first on the path and bench/rules.py would hide the rules
# package: put the repository root before it (it also holds the tests' fake Bot API).
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.app import CrmBot, create_app
from bot.settings import Settings
from crm.services.items import NewItem
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage

ROOT = Path(__file__).resolve().parents[1]
ADMIN_ID = 1001
SIDES = ("stack", "bare", "card-sized")
Trial = Callable[[], Awaitable[float]]


def reached(count: Callable[[], int], target: int) -> bool:
    return count() >= target


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
    """Next stage on even rounds, previous on odd ones: items go back and forth. (A bare
    handler's card never changes: any of its buttons will do.)"""
    wanted = "▶" if number % 2 == 0 else "◀"
    pressable = [(text, data or "") for row in card.buttons for text, data in row]
    return next((data for text, data in pressable if wanted in text), pressable[0][1])


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
            await until(tg, partial(reached, edits, target), "the edits of a round")
        return len(cards) * rounds / (time.perf_counter() - started)

    return run


def polling(bot: Bot, dp: Dispatcher) -> asyncio.Task[None]:
    return asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1,
                                                close_bot_session=False))


async def whole_stack(tg: FakeTelegram, folder: Path, cards: int) -> tuple[CrmBot, FakeUser,
                                                                           list[SentMessage]]:
    settings = Settings(
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


def bare_router(card: str | None) -> Router:
    router, counter = Router(), itertools.count()

    @router.callback_query()
    async def move(query: CallbackQuery) -> None:
        assert isinstance(query.message, Message)
        text = (f"{card}\n<i>version {next(counter)}</i>" if card
                else f"Card, version {next(counter)}")
        await query.message.edit_text(text, reply_markup=query.message.reply_markup)
        await query.answer("Moved")

    return router


async def bare_handler(tg: FakeTelegram, cards: int, like: SentMessage | None = None,
                       ) -> tuple[Bot, Dispatcher, FakeUser, list[SentMessage]]:
    """A bare handler's cards: one line and two buttons, or (`like`) a copy of a CRM card,
    which its edits then resend (the same text and buttons, a version line added)."""
    assert tg.base_url is not None  # main started every fake
    bot = Bot(tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.base_url)),
              default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    dp = Dispatcher()
    dp.include_router(bare_router(like.text if like else None))
    keyboard = (InlineKeyboardMarkup.model_validate(like.reply_markup) if like else
                InlineKeyboardMarkup(inline_keyboard=[[
                    InlineKeyboardButton(text="◀ back", callback_data="back"),
                    InlineKeyboardButton(text="next ▶", callback_data="next")]]))
    user = tg.user(ADMIN_ID, "Bench")
    for _ in range(cards):
        await bot.send_message(ADMIN_ID, like.text if like and like.text else "Card",
                               reply_markup=keyboard)
    dp["polling"] = polling(bot, dp)
    return bot, dp, user, list(tg.sent)


async def stop(bot: Bot, dp: Dispatcher) -> None:
    await dp.stop_polling()
    await dp["polling"]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=100, help="cards pressed per round")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per trial")
    parser.add_argument("--trials", type=int, default=5, help="trials of each side")
    args = parser.parse_args()
    fakes = {side: FakeTelegram() for side in SIDES}
    for fake in fakes.values():
        await fake.start()
    with tempfile.TemporaryDirectory() as folder:
        app, admin, cards = await whole_stack(fakes["stack"], Path(folder), args.cards)
        bare = await bare_handler(fakes["bare"], args.cards)
        sized = await bare_handler(fakes["card-sized"], args.cards, like=cards[0])
        try:
            runs = {"stack": trial(fakes["stack"], admin, cards, args.rounds),
                    "bare": trial(fakes["bare"], bare[2], bare[3], args.rounds),
                    "card-sized": trial(fakes["card-sized"], sized[2], sized[3], args.rounds)}
            rates: dict[str, list[float]] = {side: [] for side in SIDES}
            # The fakes keep every call and message: frozen, their set-up records are not
            # rescanned by each garbage collection during the trials (those pauses hit the
            # quicker bare trials hardest and made them jump between ~600 and ~1100/s).
            gc.collect()
            gc.freeze()
            for _ in range(args.trials):
                for side, run in runs.items():
                    rates[side].append(await run())
            moved = await moves_recorded(app)
        finally:
            await stop(app.bot, app.dp)
            await app.close()
            for bot, dp, _user, _cards in (bare, sized):
                await stop(bot, dp)
                await bot.session.close()
            for fake in fakes.values():
                await fake.stop()
    presses = args.trials * args.cards * (args.rounds + 1)
    assert moved == args.cards + presses, f"{moved - args.cards} moves for {presses} presses"
    report(rates, args.cards * args.rounds)


def report(rates: dict[str, list[float]], moves: int) -> None:
    best = {side: max(rates[side]) for side in SIDES}
    labels = {"stack": "whole stack (SQLite, service, card)",
              "bare": "bare handler, one-line edit",
              "card-sized": "bare handler, card-sized edit"}
    for side in SIDES:
        trials = ", ".join(f"{rate:.0f}" for rate in rates[side])
        print(f"{labels[side]:<36} {best[side]:7.1f} moves/s  (best of {trials})")
    print(f"ratio whole stack / bare:            {best['stack'] / best['bare']:7.3f}"
          f"   ({moves} moves a trial)")
    print(f"ratio whole stack / card-sized bare: {best['stack'] / best['card-sized']:7.3f}")


if __name__ == "__main__":
    asyncio.run(main())
