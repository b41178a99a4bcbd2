"""How fast the pipeline board answers (issue 16): GET /board/api/board over HTTP, as the page
asks for it (signed initData, JSON), on a database of 100k items with their history
(bench/scale_seed.py) where the deals' pipeline has 10,000 open items (about 2,000 per open
stage) and the rest of its items are won or lost. Seeded once, kept in bench/.data/.

    .venv/bin/python bench/board.py [--rounds 50] [--open 10000]

Prints p50/p95 per request — the whole board as an admin ("all") and as a salesperson
("all": theirs and unassigned; "mine"), a search, the next page of one column — and
one line to compare with the issue's 200 ms:

    board: 10,000 open items, all p95 A ms, mine p95 M ms, search p95 S ms (limit 200 ms)
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scale_seed import ADMIN_ID, SELLERS, START, seeded, seeded_path
from bot.board.api import BoardApi
from bot.board.http import BoardWeb
from bot.clients.deep_links import StartLinks
from bot.i18n import build_i18n
from bot.settings import Settings
from crm.clock import FrozenClock
from crm.container import build_services
from crm.storage.database import Database
from rules.container import Automation
from rules.services.status import failed_items
from tests.board_signing import signed_init_data

ITEMS = 100_000
TOKEN = "123456:bench-board-token-0123456789"


async def board_database(open_items: int) -> Path:
    """bench/scale_seed.py's 100k items, with `open_items` of the deals' pipeline left open."""
    base = await seeded(ITEMS)
    path = seeded_path(ITEMS).with_name(f"board-{open_items}-{base.name}")
    if not path.exists():
        for old in path.parent.glob(f"board-{open_items}-*.sqlite3*"):
            old.unlink()  # of an older schema
        partial = path.with_suffix(".partial")
        shutil.copyfile(base, partial)
        _close_all_but(partial, open_items)
        partial.rename(path)
    return path


def _close_all_but(path: Path, open_items: int) -> None:
    conn = sqlite3.connect(path)
    try:
        pipeline, won, lost = conn.execute(
            "SELECT p.id, MIN(CASE WHEN s.kind = 'success' THEN s.id END),"
            " MIN(CASE WHEN s.kind = 'failure' THEN s.id END)"
            " FROM pipelines p JOIN stages s ON s.pipeline_id = p.id"
            " WHERE p.type_code = 'deal' AND p.is_default = 1 GROUP BY p.id").fetchone()
        surplus = [row[0] for row in conn.execute(
            "SELECT id FROM items WHERE pipeline_id = ? AND closed = 0 ORDER BY id DESC"
            " LIMIT -1 OFFSET ?", (pipeline, open_items))]
        conn.executemany(
            "UPDATE items SET stage_id = ?, closed = 1, lost_reason = ? WHERE id = ?",
            [(won, None, n) if n % 3 else (lost, "Price", n) for n in surplus])
        conn.commit()
        conn.execute("PRAGMA optimize")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--open", type=int, default=10_000)
    args = parser.parse_args()
    path = await board_database(args.open)
    clock = FrozenClock(START + timedelta(minutes=ITEMS, days=1))
    settings = Settings(_env_file=None, bot_token=TOKEN, database_path=path,
                        webapp_url="https://crm.example.test")
    db = Database(path)
    await db.open()
    services = build_services(db, clock, admin_ids=[ADMIN_ID])
    services.board.read_failed_with(failed_items)  # as rules/container.py registers it
    # the board's answer needs no engine (only /item and /move ask it for a status)
    api = BoardApi(services, cast(Automation, None), settings, StartLinks(TOKEN))
    web_app = web.Application()
    web_app.add_routes(BoardWeb(services, build_i18n("de"), settings,
                                api.endpoints()).routes())
    server = TestServer(web_app)
    await server.start_server()
    pipeline = (await services.catalog.pipelines("deal"))[0].id
    open_count = await _open_count(db, pipeline)
    seller = SELLERS[1]
    requests: dict[str, tuple[int, dict[str, Any]]] = {
        "all (admin)": (ADMIN_ID, {"pipeline_id": pipeline, "scope": "all"}),
        "all (sales)": (seller, {"pipeline_id": pipeline, "scope": "all"}),
        "mine (sales)": (seller, {"pipeline_id": pipeline, "scope": "mine"}),
        "search": (ADMIN_ID, {"pipeline_id": pipeline, "scope": "all", "q": "Müller"}),
    }
    results: dict[str, tuple[float, float, int]] = {}
    try:
        async with aiohttp.ClientSession() as session:
            for name, (user, query) in requests.items():
                results[name] = await _timed(session, str(server.make_url("/board/api/board")),
                                             user, query, clock, args.rounds)
            first = await _get(session, str(server.make_url("/board/api/board")), ADMIN_ID,
                               requests["all (admin)"][1], clock)
            column = next(c for c in first["columns"] if c["next"])
            results["next page"] = await _timed(
                session, str(server.make_url("/board/api/column")), ADMIN_ID,
                {"stage_id": column["stage"]["id"], "scope": "all", "after": column["next"]},
                clock, args.rounds)
    finally:
        await server.close()
        await db.close()
    print(f"{ITEMS:,} items, {open_count:,} open in the deals' pipeline, {args.rounds} rounds")
    for name, (p50, p95, size) in results.items():
        print(f"  {name:<14} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({size:,} bytes)")
    print(f"board: {open_count:,} open items, all p95 {results['all (admin)'][1]:.1f} ms, "
          f"mine p95 {results['mine (sales)'][1]:.1f} ms, search p95 "
          f"{results['search'][1]:.1f} ms (limit 200 ms)")


async def _open_count(db: Database, pipeline: int) -> int:
    path = db.location
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM items WHERE pipeline_id = ? AND closed = 0",
                                (pipeline,)).fetchone()[0])
    finally:
        conn.close()


async def _get(session: aiohttp.ClientSession, url: str, user: int, query: dict[str, Any],
               clock: FrozenClock) -> dict[str, Any]:
    headers = {"Authorization": "tma " + signed_init_data(TOKEN, user, clock.now())}
    async with session.get(url, params={k: str(v) for k, v in query.items()},
                           headers=headers) as reply:
        assert reply.status == 200, await reply.text()
        return cast(dict[str, Any], await reply.json())


async def _timed(session: aiohttp.ClientSession, url: str, user: int, query: dict[str, Any],
                 clock: FrozenClock, rounds: int) -> tuple[float, float, int]:
    headers = {"Authorization": "tma " + signed_init_data(TOKEN, user, clock.now())}
    params = {k: str(v) for k, v in query.items()}
    samples, size = [], 0
    for round_ in range(rounds + 3):  # three to warm the caches
        began = time.perf_counter()
        async with session.get(url, params=params, headers=headers) as reply:
            body = await reply.read()
            assert reply.status == 200, body
        if round_ >= 3:
            samples.append((time.perf_counter() - began) * 1000)
        size = len(body)
    return statistics.median(samples), percentile(samples, 0.95), size


if __name__ == "__main__":
    asyncio.run(main())
