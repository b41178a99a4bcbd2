"""Figure 1: moves into a stage with 10 rules, against moves into a stage with none."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

from bench.rules_common import engine, stage
from crm.clock import SystemClock
from crm.models import Contact
from crm.services.items import NewItem
from rules.model import Rule

MOVES = 200
TRIALS = 3  # the best trial of each side counts
TEMPLATES = [
    "Hello {{ contact.name }}, your order {{ item.title }} over {{ item.amount|money }} "
    "is in “{{ stage.name }}”.",
    "{% for p in item.products %}{{ p.name }} × {{ p.quantity }}\n{% endfor %}",
]
CONDITIONS = [
    {"all": [{"field": "amount", "op": ">", "value": "100"}]},
    {"any": [{"field": "currency", "op": "=", "value": "EUR"},
             {"field": "title", "op": "contains", "value": "deal"}]},
]


async def moves(folder: Path) -> None:
    db, services, automation, admin = await engine(folder, SystemClock())
    won, preparing, new = (stage(services, c) for c in ("won", "preparing_documents", "new"))
    for n in range(10):
        await automation.rules.add(admin, Rule(
            0, "", 0, won, 0, f"rule {n}", "message_client" if n % 2 else "notify_responsible",
            {"text": TEMPLATES[n % 2]}, condition=CONDITIONS[n % 2]))
    async with services.uow() as uow:
        contact = await uow.clients.add_contact(Contact(0, "Anna", tg_chat_id=5),
                                                services.clock.now())
        await uow.commit()
    items = [await services.items.create(admin, NewItem(
        "deal", f"deal {n}", amount=Decimal(1000), contact_id=contact.id)) for n in range(MOVES)]

    async def run(target: int) -> float:
        started = time.perf_counter()
        for item in items:
            await services.items.move(admin, item.id, target)
            await automation.runs.drain()  # plan, evaluate, render, write outbox rows
        return MOVES / (time.perf_counter() - started)

    bare_trials, ruled_trials = [], []
    for _trial in range(TRIALS):  # alternating, so both sides see the same machine load
        bare_trials.append(await run(preparing))  # no rules there
        await run(new)
        ruled_trials.append(await run(won))
        await run(new)
    bare, ruled = max(bare_trials), max(ruled_trials)
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall("SELECT COUNT(*) FROM outbox")
    print(f"moves/s into a stage without rules: {bare:8.1f}")
    print(f"moves/s into a stage with 10 rules: {ruled:8.1f}  "
          f"(best of {TRIALS} trials of {MOVES} moves; {next(iter(rows))[0]} outbox rows)")
    print(f"ratio with rules / without:         {ruled / bare:8.3f}")
    await automation.stop()
    await db.close()
