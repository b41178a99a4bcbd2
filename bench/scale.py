"""Does the bot slow down as the data grows? Card, move, list and search at 10k, 100k and 1M
items, through the real dispatcher, middlewares and handlers, each against one bare aiogram
update (a callback handler that answers and edits) fed the same way in the same run; on
SQLite and on PostgreSQL, side by side.

    .venv/bin/python bench/scale.py                      # 10k, 100k, 1M (seeding 1M: minutes)
    .venv/bin/python bench/scale.py --sizes 10000,100000 --database sqlite

Databases are seeded once by bench/scale_seed.py and kept in bench/.data/; PostgreSQL's are
copies of those files (bench/scale_pg_seed.py), kept as databases crm_bench_scale_*. Every
side talks to an in-process stub session (bench/stub_session.py): no HTTP anywhere. The
databases' steps take turns in blocks, so a busy moment of the machine falls on both. Per
size it prints the median latency of each step (building the update is not timed) and its
ratio to the bare update, or with both databases PostgreSQL's ratio to SQLite's, the
statements an update sends its database (bench/scale_statements.py), and whether another
user's /item waits while a /find runs; the last lines sum it up per database:

    scale (SQLite): worst growth 1M/10k Gx, find at 1M F ms, move at 100k R x bare aiogram
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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psycopg
from aiogram import Bot, Dispatcher, Router
from aiogram.types import CallbackQuery, Message, Update

from bench.scale_pg_seed import ADMIN_URL, pg_seeded
from bench.scale_report import STEPS, Figures, report, summary
from bench.scale_seed import ADMIN_ID, SELLERS, seeded
from bench.scale_statements import counted
from bench.scale_updates import Updates
from bench.stub_session import StubSession
from bot.app import CrmBot, create_app
from bot.settings import Settings
from crm.storage.postgres.placeholders import to_psycopg
from rules.outbox.pacing import Pacer

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"
KINDS = ("sqlite", "postgresql")
BLOCKS = 4  # turns each database's samples of a step are taken in
Step = tuple[Callable[[], Update], Callable[[Update], Awaitable[object]]]  # build, feed


async def crm_on(location: Path | str, folder: Path) -> CrmBot:
    where = ({"database_url": location} if isinstance(location, str)
             else {"database_path": location})
    settings = Settings(_env_file=None, bot_token=TOKEN, **where,
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


class PostgresPeek:
    """Reads the PostgreSQL database beside the bot (bench/scale_updates.py's Peek)."""

    def __init__(self, url: str) -> None:
        self._conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, parameters: tuple[Any, ...] = (), /) -> psycopg.Cursor[Any]:
        return self._conn.execute(to_psycopg(sql), parameters)

    def close(self) -> None:
        self._conn.close()


@dataclass
class Side:
    """One database's bot and the updates it is fed."""

    app: CrmBot
    updates: Updates
    peek: sqlite3.Connection | PostgresPeek

    def step(self, name: str) -> Step:
        build: Callable[[], Update] = getattr(self.updates, name.replace(" ", "_"))
        return build, lambda update: self.app.dp.feed_update(self.app.bot, update)

    async def close(self) -> None:
        self.peek.close()
        await self.app.close()


async def open_side(kind: str, size: int, admin_url: str, folder: Path) -> Side:
    location: Path | str
    if kind == "sqlite":
        location = await seeded(size)
        peek: sqlite3.Connection | PostgresPeek = sqlite3.connect(location)
    else:
        location = await pg_seeded(size, admin_url)
        peek = PostgresPeek(location)
    app = await crm_on(location, folder / kind)
    return Side(app, Updates(peek, app), peek)


async def medians(steps: dict[str, Step], rounds: int, blocks: int = BLOCKS) -> dict[str, float]:
    """Each step's median latency in ms over `rounds` samples. The steps take turns in
    `blocks` runs each, so a busy moment of the machine falls on all of them alike."""
    samples: dict[str, list[float]] = {name: [] for name in steps}
    for build, feed in steps.values():
        await feed(build())  # warm: caches, compiled templates
    for block in range(blocks):
        for name, (build, feed) in steps.items():
            for _ in range(rounds // blocks + (block < rounds % blocks)):
                update = build()
                began = time.perf_counter()
                await feed(update)
                samples[name].append((time.perf_counter() - began) * 1000)
    return {name: statistics.median(values) for name, values in samples.items()}


async def measure(size: int, rounds: int, kinds: list[str],
                  admin_url: str) -> dict[str, Figures]:
    """Per database, the size's figures."""
    folder = Path(tempfile.mkdtemp(prefix="crm-scale-"))
    sides: dict[str, Side] = {}
    bare_dp, bare_bot = bare_dispatcher()
    try:
        for kind in kinds:
            sides[kind] = await open_side(kind, size, admin_url, folder)
        first = next(iter(sides.values())).updates
        bare = (await medians({"bare": (first.press_any, lambda update: bare_dp.feed_update(
            bare_bot, update))}, rounds))["bare"]
        figures: dict[str, Figures] = {kind: {"bare": bare} for kind in sides}
        for step in STEPS:
            found = await medians({kind: side.step(step) for kind, side in sides.items()},
                                  rounds)
            for kind, median in found.items():
                figures[kind][step] = median
                figures[kind][f"{step} statements"] = await statements(sides[kind].step(step))
        for kind, side in sides.items():
            figures[kind].update(await alongside(side, figures[kind]["find miss"]))
            figures[kind]["round trip"] = round_trip(side.peek)
    finally:
        for side in sides.values():
            await side.close()
        await bare_bot.session.close()
    return figures


async def statements(step: Step, rounds: int = 5) -> float:
    """Statements sent to the database per update (untimed rounds)."""
    build, feed = step
    with counted() as sent:
        for _ in range(rounds):
            await feed(build())
    return sent[0] / rounds


def round_trip(peek: sqlite3.Connection | PostgresPeek, rounds: int = 200) -> float:
    """Median ms of a `SELECT 1` beside the bot: what every statement costs at least (on
    PostgreSQL a round trip to the server's process, on SQLite a call in this one)."""
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        peek.execute("SELECT 1").fetchone()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


async def alongside(side: Side, find_ms: float) -> dict[str, float]:
    """Another user's /item sent while a /find is in its query (a third of the way through
    a search's usual time): answered without waiting for the search?"""
    app, updates = side.app, side.updates

    def card() -> Update:
        return updates.card(SELLERS[0], visible=True)

    def feed(update: Update) -> Awaitable[object]:
        return app.dp.feed_update(app.bot, update)

    alone = (await medians({"card": (card, feed)}, 9, blocks=1))["card"]
    for _ in range(3):  # untimed: the second read connection opened (once, and kept)
        await asyncio.gather(feed(updates.find_miss()), feed(card()))
    find_began = time.perf_counter()
    find = asyncio.ensure_future(feed(updates.find_miss()))
    await asyncio.sleep(find_ms / 3 / 1000)
    update = card()
    began = time.perf_counter()
    await feed(update)
    during = (time.perf_counter() - began) * 1000
    await find
    find_took = (time.perf_counter() - find_began) * 1000
    return {"item alone": alone, "item during find": during, "find alongside": find_took}


class FailedUpdates(logging.Handler):
    """Counts what the bot logs as an error: a failed update makes the figures worthless."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.first: str | None = None
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        self.first = self.first or self.format(record)


async def main(sizes: list[int], rounds: int, kinds: list[str], admin_url: str) -> None:
    failed = FailedUpdates()
    logging.basicConfig(level=logging.ERROR, handlers=[failed])
    results: dict[str, dict[int, Figures]] = {kind: {} for kind in kinds}
    for size in sizes:
        figures = await measure(size, rounds, kinds, admin_url)
        if failed.count:
            raise SystemExit(f"bench: {failed.count} updates failed; the first:\n{failed.first}")
        report(size, figures)
        for kind, found in figures.items():
            results[kind][size] = found
    for line in summary(results):
        print(line)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--database", choices=(*KINDS, "both"), default="both")
    parser.add_argument("--postgres", default=ADMIN_URL,
                        help="a PostgreSQL server's URL to create the crm_bench_scale_* "
                             "databases with (default: %(default)s)")
    args = parser.parse_args()
    chosen = list(KINDS) if args.database == "both" else [args.database]
    asyncio.run(main([int(s) for s in args.sizes.split(",")], args.rounds, chosen,
                     args.postgres))
