"""Figure 3: 10,000 delayed runs, each woken by the real APScheduler timer: how late?"""

from __future__ import annotations

import asyncio
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.rules_common import SwitchableClock, engine, stage
from crm.services.items import NewItem
from rules.model import Rule, Timing, TimingMode

RUNS = 10_000
SPREAD = timedelta(seconds=20)  # due times spread over this window
LEAD = timedelta(seconds=40)  # creating the items must finish before the first is due


async def lateness(folder: Path) -> None:
    clock = SwitchableClock()
    db, services, automation, admin = await engine(folder, clock)
    new = stage(services, "new")
    await automation.rules.add(admin, Rule(0, "", 0, new, 0, "pause", "wait", {},
                                           timing=Timing(mode=TimingMode.DELAY, amount=1)))
    start = datetime.now(UTC) + LEAD - timedelta(minutes=1)
    for n in range(RUNS):  # entered at spread moments, so due 1 minute later, spread too
        clock.frozen = start + SPREAD * n / RUNS
        await services.items.create(admin, NewItem("deal", f"deal {n}"))
    clock.frozen = None  # real time from here
    left = (start + timedelta(minutes=1) - datetime.now(UTC)).total_seconds()
    assert left > 0, "creating the items took longer than the lead time"
    automation.start()
    await asyncio.sleep(left + SPREAD.total_seconds() + 3)
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            "SELECT due_at, started_at FROM rule_runs WHERE state = 'done'")
    late = sorted((datetime.fromisoformat(r[1]) - datetime.fromisoformat(r[0])).total_seconds()
                  for r in rows)
    within = sum(1 for s in late if s <= 1.0) / RUNS
    print(f"lateness: {len(late)} of {RUNS} runs executed; {within:.2%} within 1 s of due "
          f"(aim 99.9%); median {statistics.median(late) * 1000:.0f} ms, "
          f"99.9th percentile {late[int(len(late) * 0.999) - 1] * 1000:.0f} ms")
    await automation.stop()
    await db.close()
