"""How long the pipeline overview (/pipeline), the totals of /items and the sales report
take as the data grows: the services' own queries against databases of 10k and 100k items
(optionally 1M), seeded once by bench/scale_seed.py and kept in bench/.data/.

    .venv/bin/python bench/overview.py                      # 10k, 100k
    .venv/bin/python bench/overview.py --sizes 10000,100000,1000000

Per size it prints the median of each step; the last line compares the largest size with
the smallest:

    overview: team overview at 100k T ms (Gx of 10k), mine M ms, report 30d R ms
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.scale_seed import ADMIN_ID, SELLERS, START, seeded
from crm.clock import FrozenClock
from crm.container import build_services
from crm.queries import ItemQuery
from crm.storage.database import Database

STEPS = ("overview team", "overview mine", "items totals", "report 30d", "report all")


async def median_ms(run: Callable[[], Awaitable[object]], rounds: int) -> float:
    await run()  # warm: the catalog cache, SQLite's page cache
    samples = []
    for _ in range(rounds):
        began = time.perf_counter()
        await run()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


async def measure(items: int, rounds: int) -> dict[str, float]:
    db = Database(await seeded(items))
    await db.open()
    try:
        # the seed's items were created a minute apart from START: "now" is after the last
        clock = FrozenClock(START + timedelta(minutes=items, days=1))
        services = build_services(db, clock, admin_ids=[ADMIN_ID])
        admin = await services.staff.identify(ADMIN_ID)
        seller = await services.staff.identify(SELLERS[1])
        assert admin is not None and seller is not None
        pipeline = (await services.catalog.pipelines("deal"))[0].id
        now = clock.now()
        steps: dict[str, Callable[[], Awaitable[object]]] = {
            "overview team": lambda: services.overview.pipeline(admin, pipeline, True),
            "overview mine": lambda: services.overview.pipeline(seller, pipeline, False),
            "items totals": lambda: services.overview.list_totals(
                seller, ItemQuery(type_code="deal", open_only=True, limit=8)),
            "report 30d": lambda: services.sales_report.report(
                admin, pipeline, now - timedelta(days=30), now),
            "report all": lambda: services.sales_report.report(
                admin, pipeline, START - timedelta(days=1), now),
        }
        return {name: await median_ms(run, rounds) for name, run in steps.items()}
    finally:
        await db.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for size in sizes:
        results[size] = await measure(size, args.rounds)
        print(f"{size:>9,} items: " + "  ".join(
            f"{step} {results[size][step]:.1f} ms" for step in STEPS), flush=True)
    small, large = results[sizes[0]], results[sizes[-1]]
    growth = large["overview team"] / small["overview team"]
    print(f"overview: team overview at {sizes[-1] // 1000}k {large['overview team']:.1f} ms "
          f"({growth:.1f}x of {sizes[0] // 1000}k), mine {large['overview mine']:.1f} ms, "
          f"report 30d {large['report 30d']:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
