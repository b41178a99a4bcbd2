"""What leading costs a process that has nothing to do: the commit watch's poll of
`PRAGMA data_version` (every 0.5 s) and the leader lease's renewal (a short write unit of
work, every 1 s), each in CPU microseconds, and their sum as a share of one core.

    .venv/bin/python bench/wakeups.py              # 15 rounds of 200 each
    .venv/bin/python bench/wakeups.py --idle 10    # also: 10 s idle, leading vs not

CPU time (this process and its connection threads), not wall time, as bench/unit_of_work.py
explains; the figure is the best round's. `--idle` runs a real Leadership and CommitWatch
for that long and reports the CPU they took beside a process that only sleeps.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiosqlite

from bot.cluster.leader import NAME, Leadership
from bot.cluster.lease import RENEW_EVERY, Lease
from bot.cluster.wakeups import POLL_EVERY, CommitWatch, data_version
from crm.clock import SystemClock
from crm.container import build_services
from crm.storage.database import Database

PER_ROUND = 200


async def best(rounds: int, step: Callable[[], Awaitable[object]]) -> float:
    """CPU microseconds per call, the best round's (the median is printed beside it)."""
    results = []
    for _round in range(rounds):
        began = time.process_time()
        for _ in range(PER_ROUND):
            await step()
        results.append((time.process_time() - began) / PER_ROUND * 1e6)
    print(f"    median {statistics.median(results):.0f} µs", end="")
    return min(results)


async def idle_cpu(seconds: float, lease: Lease | None, path: Path) -> float:
    """CPU seconds this process spent over `seconds` of doing nothing but leading (or,
    with no lease, nothing at all)."""
    leadership = Leadership(lease) if lease is not None else None
    watch = CommitWatch(path, ())
    if leadership is not None:
        await leadership.start()
        watch.start()
    began = time.process_time()
    await asyncio.sleep(seconds)
    spent = time.process_time() - began
    if leadership is not None:
        await watch.stop()
        await leadership.stop()
    return spent


async def measure(rounds: int, idle: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crm.sqlite3"
        db = Database(path)
        await db.open()
        services = build_services(db, SystemClock(), admin_ids=[])
        lease = Lease(services.uow, NAME)
        try:
            async with aiosqlite.connect(path) as conn:
                print("data_version poll:", end="")
                poll = await best(rounds, lambda: data_version(conn))
                print(f", best {poll:.0f} µs")
            print("lease renewal:   ", end="")
            renewal = await best(rounds, lease.take)
            print(f", best {renewal:.0f} µs")
            per_second = poll / POLL_EVERY + renewal / RENEW_EVERY
            print(f"idle leader: {per_second:.0f} µs CPU per second = "
                  f"{per_second / 1e4:.3f} % of one core")
            if idle:
                await lease.release()
                base = await idle_cpu(idle, None, path)
                leading = await idle_cpu(idle, lease, path)
                print(f"{idle:.0f} s idle: {base * 1e3:.1f} ms CPU sleeping, "
                      f"{leading * 1e3:.1f} ms leading (watch + renewals)")
        finally:
            await db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--idle", type=float, default=0.0)
    args = parser.parse_args()
    asyncio.run(measure(args.rounds, args.idle))


if __name__ == "__main__":
    main()
