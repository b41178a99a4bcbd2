"""What opening and ending a unit of work costs: a read that meets a cached staff row (what
every update does first) and an empty write, each in CPU microseconds.

    .venv/bin/python bench/unit_of_work.py             # 15 rounds of 300 each
    .venv/bin/python bench/unit_of_work.py --rounds 30

CPU time (this process and its connection threads), not wall time: on a shared machine the
wall clock mostly measures the neighbours, while a thread hand-off to aiosqlite's connection
thread and back shows in CPU time too. The figure is the best round's; run the script in
two git worktrees one after the other (and again) to compare two versions of the code.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.services.staff import TelegramUser
from crm.storage.database import Database

ADMIN_ID = 1
PER_ROUND = 300


async def measure(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "crm.sqlite3")
        await db.open()
        try:
            services = build_services(db, FrozenClock(datetime(2026, 11, 23, tzinfo=UTC)),
                                      admin_ids=[ADMIN_ID])
            await services.staff.start(TelegramUser(ADMIN_ID, "Ada"))
            for name, step in (("read (cached staff row)", _identify(services)),
                               ("write (empty)", _empty_write(services))):
                best, median = await _rounds(step, rounds)
                print(f"{name:24} best {best:6.1f} µs, median {median:6.1f} µs CPU")
        finally:
            await db.close()


def _identify(services: CrmServices) -> Callable[[], Awaitable[object]]:
    return lambda: services.staff.identify(ADMIN_ID)


def _empty_write(services: CrmServices) -> Callable[[], Awaitable[object]]:
    async def write() -> None:
        async with services.uow() as uow:
            await uow.commit()
    return write


async def _rounds(step: Callable[[], Awaitable[object]], rounds: int) -> tuple[float, float]:
    for _ in range(PER_ROUND):  # warm-up: connections open, rows cached
        await step()
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(PER_ROUND):
            await step()
        times.append((time.process_time() - started) / PER_ROUND * 1e6)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--rounds", type=int, default=15)
    asyncio.run(measure(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
