"""Does the bot slow down as the data grows? Card, move, list and search at 10k, 100k and 1M
items, through the real dispatcher, middlewares and handlers, each against one bare aiogram
update (a callback handler that answers and edits) fed the same way in the same run.

    .venv/bin/python bench/scale.py                      # 10k, 100k, 1M (seeding 1M: minutes)
    .venv/bin/python bench/scale.py --sizes 10000,100000

Databases are seeded once by bench/scale_seed.py and kept in bench/.data/. Both sides talk
to an in-process stub session (bench/stub_session.py): no HTTP anywhere. Per size it prints
the median latency of each step and its ratio to the bare update, and whether another
user's /item waits while a /find runs; the last line sums it up:

    scale: worst growth 1M/10k Gx, find at 1M F ms, move at 100k R x bare aiogram
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot, Dispatcher, Router
from aiogram.types import CallbackQuery, Message, Update

from bench.scale_seed import ADMIN_ID, SELLERS, seeded
from bench.scale_updates import Updates
from bench.stub_session import StubSession
from bot.app import CrmBot, create_app
from bot.settings import Settings
from rules.outbox.pacing import Pacer

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPS = ("card", "move", "list first", "list last", "find hit", "find miss")


async def crm_on(path: Path, folder: Path) -> CrmBot:
    settings = Settings(_env_file=None, bot_token=TOKEN, database_path=path,
                        admin_ids=[ADMIN_ID], default_rules=False, data_dir=folder,
                        telegram_api_base="http://127.0.0.1:9")
    # Pacing keeps real chats within Telegram's limits; a benchmark has no real chats.
    app = await create_app(settings, pacer=Pacer(per_second=1e9, chat_interval=0))
    stub = StubSession()
    stub.middleware = app.bot.session.middleware  # the bot's own request middlewares
    await app.bot.session.close()
    app.bot.session = stub
    app.links.username = "crm_bot"
    return app


def bare_dispatcher() -> tuple[Dispatcher, Bot]:
    router = Router()

    @router.callback_query()
    async def moved(query: CallbackQuery) -> None:
        await query.answer("Moved")
        if isinstance(query.message, Message):
            await query.message.edit_text("Moved to <b>In progress</b>")

    dp = Dispatcher()
    dp.include_router(router)
    return dp, Bot(TOKEN, session=StubSession())


async def median_ms(feed: Callable[[], Awaitable[object]], rounds: int) -> float:
    await feed()  # warm: caches, compiled templates
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        await feed()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


async def measure(size: int, rounds: int) -> dict[str, float]:
    path = await seeded(size)
    folder = Path(tempfile.mkdtemp(prefix="crm-scale-"))
    app = await crm_on(path, folder)
    bare_dp, bare_bot = bare_dispatcher()
    peek = sqlite3.connect(path)  # to pick items and stages; not timed
    updates = Updates(peek, app)
    try:
        async def feed(update: Callable[[], Update]) -> None:
            await app.dp.feed_update(app.bot, update())

        figures = {
            "bare": await median_ms(lambda: bare_dp.feed_update(bare_bot, updates.press_any()),
                                    rounds),
            "card": await median_ms(lambda: feed(updates.card), rounds),
            "move": await median_ms(lambda: feed(updates.move), rounds),
            "list first": await median_ms(lambda: feed(updates.list_first), rounds),
            "list last": await median_ms(lambda: feed(updates.list_last), rounds),
            "find hit": await median_ms(lambda: feed(updates.find_hit), rounds),
            "find miss": await median_ms(lambda: feed(updates.find_miss), rounds),
        }
        figures.update(await alongside(app, updates, figures["find miss"]))
    finally:
        peek.close()
        await app.close()
        await bare_bot.session.close()
    return figures


async def alongside(app: CrmBot, updates: Updates, find_ms: float) -> dict[str, float]:
    """Another user's /item sent while a /find is in its query (a third of the way through
    a search's usual time): answered without waiting for the search?"""
    def card() -> Awaitable[object]:
        return app.dp.feed_update(app.bot, updates.card(SELLERS[0], visible=True))

    alone = await median_ms(card, 9)
    find_began = time.perf_counter()
    find = asyncio.ensure_future(app.dp.feed_update(app.bot, updates.find_miss()))
    await asyncio.sleep(find_ms / 3 / 1000)
    began = time.perf_counter()
    await card()
    during = (time.perf_counter() - began) * 1000
    await find
    find_took = (time.perf_counter() - find_began) * 1000
    return {"item alone": alone, "item during find": during, "find alongside": find_took}


def report(size: int, figures: dict[str, float]) -> None:
    bare = figures["bare"]
    print(f"{size:>9,} items   bare aiogram update {bare:6.2f} ms")
    for step in STEPS:
        print(f"    {step:<11} {figures[step]:8.2f} ms   {figures[step] / bare:6.1f}x bare")
    print(f"    /item by another user: {figures['item alone']:.2f} ms alone, "
          f"{figures['item during find']:.2f} ms while a /find ran "
          f"({figures['find alongside']:.2f} ms)")


def summary(results: dict[int, dict[str, float]]) -> str:
    small, large = min(results), max(results)
    growth = max(results[large][s] / results[small][s] for s in STEPS)
    find = max(results[large]["find hit"], results[large]["find miss"])
    middle = 100_000 if 100_000 in results else large
    move = results[middle]["bare"] / results[middle]["move"]
    return (f"scale: worst growth {_label(large)}/{_label(small)} {growth:.2f}x, "
            f"find at {_label(large)} {find:.1f} ms, move at {_label(middle)} {move:.2f} x "
            f"bare aiogram")


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"


class FailedUpdates(logging.Handler):
    """Counts what the bot logs as an error: a failed update makes the figures worthless."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.first: str | None = None
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.first = self.first or self.format(record)


async def main(sizes: list[int], rounds: int) -> None:
    failed = FailedUpdates()
    logging.basicConfig(level=logging.ERROR, handlers=[failed])
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        results[size] = await measure(size, rounds)
        if failed.count:
            raise SystemExit(f"bench: {failed.count} updates failed; the first:\n{failed.first}")
        report(size, results[size])
    print(summary(results))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    asyncio.run(main([int(s) for s in args.sizes.split(",")], args.rounds))
