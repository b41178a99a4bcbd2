"""Benchmark of the classic → simple switch: time, and peak Python memory against the number
of leads (it must stay flat: leads are read and converted batch by batch).

    .venv/bin/python bench/convert.py                  # 10,000 and 2,500 leads
    .venv/bin/python bench/convert.py --leads 1000 --batch-size 500

Each size runs twice on a fresh database: once timed without tracing (tracemalloc slows
Python allocation several-fold), once under tracemalloc for the peak during the conversion.
Every lead has 1-2 open activities and client data; the switch creates contact and company.
The traced pass is the slow one: the default run takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crm.clock import SystemClock
from crm.container import CrmServices, build_services
from crm.models import Staff
from crm.services.mode import LEAD_SOURCES, ConversionOptions
from crm.services.staff import TelegramUser
from crm.storage.database import Database

ADMIN_ID = 1
LEAD_STAGES = (1, 2, 3)  # the shipped lead pipeline's progress stages


@dataclass(frozen=True, slots=True)
class Result:
    leads: int
    seconds: float
    peak_bytes: int
    deals: int
    activities_moved: int


async def fill(services: CrmServices, leads: int) -> None:
    """Inserts open leads and their activities with plain SQL: the set-up is not measured."""
    now = datetime.now(UTC)
    stamp = now.isoformat(timespec="microseconds")
    lead_rows, activity_rows = [], []
    for n in range(1, leads + 1):
        custom = {"name": f"Client {n}", "phone": f"+49 30 {n:07d}",
                  "email": f"client{n}@example.org", "company_name": f"Firm {n}"}
        lead_rows.append((n, LEAD_STAGES[n % 3], f"Inquiry {n}", 1000 * n,
                          LEAD_SOURCES[n % len(LEAD_SOURCES)], json.dumps(custom), stamp))
        for k in range(1 + n % 2):
            deadline = (now + timedelta(days=k + 1)).isoformat(timespec="microseconds")
            activity_rows.append((n, ("call", "task")[k], f"Follow up {n}.{k}", deadline,
                                  ADMIN_ID, stamp))
    async with services.uow() as uow:
        await uow.conn.executemany(
            """INSERT INTO items (id, type_code, pipeline_id, stage_id, title, amount_minor,
                 currency, responsible_id, source, custom, created_at, updated_at,
                 stage_entered_at)
               VALUES (?, 'lead', 1, ?, ?, ?, 'EUR', 1, ?, ?, ?, ?, ?)""",
            [(*row, stamp, stamp) for row in lead_rows])
        await uow.conn.executemany(
            """INSERT INTO activities (item_id, kind, subject, deadline, assignee_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""", activity_rows)
        await uow.commit()


async def convert(leads: int, batch_size: int, trace: bool) -> Result:
    with tempfile.TemporaryDirectory() as folder:
        db = Database(Path(folder) / "bench.sqlite3")
        await db.open()
        try:
            services = build_services(db, SystemClock(), admin_ids=[ADMIN_ID])
            admin = await services.staff.start(TelegramUser(ADMIN_ID, "Bench Admin"))
            assert isinstance(admin, Staff)
            await services.mode.switch_to_classic(admin)
            await fill(services, leads)
            options = ConversionOptions("both", keep_activities_open=True)
            if trace:
                tracemalloc.start()
            started = time.perf_counter()
            switched = await services.mode.switch_to_simple(admin, options, batch_size=batch_size)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if trace else 0
            tracemalloc.stop()
        finally:
            await db.close()
    summary = switched.conversion
    assert summary is not None and summary.counts.leads_converted == leads
    return Result(leads, seconds, peak, summary.counts.deals_created,
                  summary.counts.activities_moved)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--leads", type=int, nargs="+", default=[10_000, 2_500])
    parser.add_argument("--batch-size", type=int, default=200)
    args = parser.parse_args()
    results = []
    for leads in args.leads:
        print(f"{leads:,} leads: timing, then tracing memory ...", flush=True)
        timed = await convert(leads, args.batch_size, trace=False)
        traced = await convert(leads, args.batch_size, trace=True)
        results.append((timed, traced))
        print(f"{leads:>7,} leads: {timed.seconds:6.2f} s  "
              f"({timed.seconds / leads * 1000:.2f} ms/lead, {leads / timed.seconds:,.0f} leads/s)"
              f"  peak {traced.peak_bytes / 1024 / 1024:6.2f} MiB under tracemalloc"
              f" ({traced.seconds:.1f} s traced)  deals {timed.deals:,},"
              f" activities moved {timed.activities_moved:,}")
    if len(results) > 1:
        (big, big_peak), (small, small_peak) = results[0], results[-1]
        print(f"memory ratio {big.leads:,} / {small.leads:,} leads: "
              f"{big_peak.peak_bytes / small_peak.peak_bytes:.2f}x for "
              f"{big.leads / small.leads:.1f}x the leads (batch size {args.batch_size})")


if __name__ == "__main__":
    asyncio.run(main())
