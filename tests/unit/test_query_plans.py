"""Every query on a hot path reads a growing table through an index (issue 10).

The hot paths run for real (card, move with the engine behind it, list pages with every
filter, find, automation status, the workers' due rows, a conversion batch) while every
statement they send to the database is recorded; then the plan of each must not read a table
that grows with the team's work from end to end (SQLite: no `SCAN` in EXPLAIN QUERY PLAN; it
has no statistics here, so it plans as for large tables. PostgreSQL: no Seq Scan with
sequential scans off; see tests/query_plans.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from decimal import Decimal
from functools import partial

import pytest

from crm.container import CrmServices
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from rules.model import Timing, TimingMode
from rules.storage.unit import repos
from tests.conftest import add_staff
from tests.databases import ON_POSTGRESQL, new_postgres_database
from tests.query_plans import PlanConnection, plan_connection, plan_offenders, scans
from tests.rules.conftest import RecordingTransport, add_rule, build_test_automation, stage_id


def test_the_check_sees_a_full_scan() -> None:
    """The check itself: the queries this issue replaced are caught."""
    conn = sqlite3.connect(":memory:")
    conn.executescript("""CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT,
                            responsible_id INTEGER);
                          CREATE INDEX items_by_responsible ON items(responsible_id);""")
    _sees_full_scans(conn, "SCAN i",
                     "USE TEMP B-TREE FOR ORDER BY (sorts every row it reads)")
    conn.close()
    if ON_POSTGRESQL:
        with plan_connection(new_postgres_database(template=False)) as pg:
            pg.execute("""CREATE TABLE items (id BIGINT PRIMARY KEY, title TEXT,
                            responsible_id BIGINT)""")
            pg.execute("CREATE INDEX items_by_responsible ON items(responsible_id)")
            # No sort when sorts are off: the whole primary key read backwards instead.
            _sees_full_scans(pg, "Seq Scan on items i",
                             "Index Scan using items_pkey on items with no condition")


def _sees_full_scans(conn: PlanConnection, scan: str, unordered_page: str) -> None:
    assert scans(conn, "SELECT * FROM items i WHERE lower(i.title) LIKE ?", ("%a%",)) == [
        scan]
    assert scans(conn, "SELECT COUNT(*) FROM items") != []
    assert scans(conn, "SELECT * FROM items WHERE id < ? ORDER BY id DESC LIMIT 9", (5,)) == []
    by_owner = "SELECT * FROM items WHERE responsible_id = ? OR responsible_id IS NULL"
    assert scans(conn, f"{by_owner} ORDER BY id DESC LIMIT 9", (5,), paged=True) == [
        unordered_page]


async def test_hot_queries_use_an_index(services: CrmServices, admin: Staff,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    automation = build_test_automation(services, RecordingTransport())
    try:
        sam = await add_staff(services, admin, 2001, Role.SALES)
        new, won = await stage_id(services, "deal", "new"), await stage_id(services, "deal", "won")
        await add_rule(automation, admin, new, "notify_responsible", {"text": "Call"},
                       timing=Timing(mode=TimingMode.DELAY, amount=60))
        await add_rule(automation, admin, won, "notify_responsible", {"text": "Won"})
        made = [await services.items.create(admin if n % 2 else sam, NewItem(
            "deal" if n % 3 else "quote", f"Website {n}", amount=Decimal(n),
            contact_name=f"Jürgen Müller {n % 4}")) for n in range(1, 25)]
        deal = made[0]
        paths: dict[str, Callable[[], Awaitable[object]]] = {
            "card": lambda: services.cards.card(admin, deal.id),
            "move": lambda: services.cards.move(admin, deal.id, won, deal.version),
            "engine": automation.tick,
            "status": lambda: automation.status.status(admin, deal.id),
            "new with a contact": lambda: services.items.create(admin, NewItem(
                "deal", "Another", contact_name="Jürgen Müller 1")),
            "find": lambda: services.items.page(admin, ItemQuery(text="müller web", limit=8)),
            "find as a salesperson": lambda: services.items.page(
                sam, ItemQuery(text="MÜLLER", limit=8)),
            "find by phone": lambda: services.items.page(admin, ItemQuery(text="030 1234")),
            "find hostile": lambda: services.items.page(
                admin, ItemQuery(text='"a* NEAR(b c) -d :e OR')),
            "contacts": lambda: services.clients.find(admin, "mül"),
            "runs and outbox due": lambda: _due(services),
            "conversion batch": lambda: _conversion_batch(services),
        }
        for who in (admin, sam):
            for filters in ({}, {"type_code": "deal"}, {"type_code": "deal", "stage_id": new},
                            {"responsible_id": who.user_id},
                            {"responsible_id": who.user_id, "type_code": "quote"},
                            {"responsible_id": who.user_id, "type_code": "deal",
                             "stage_id": new}):
                for cursor in ({}, {"before": made[-3].id}, {"after": made[3].id}):
                    query = ItemQuery(**filters, **cursor, limit=2)  # type: ignore[arg-type]
                    paths[f"list {who.role} {filters} {cursor}"] = partial(
                        services.items.page, who, query)
        offenders = await plan_offenders(
            services.uow.db.location, monkeypatch, paths,
            paged=lambda name: name.startswith(("list", "find", "conversion")))
        assert not offenders, "\n".join(offenders)
    finally:
        await automation.stop()


async def _due(services: CrmServices) -> None:
    now = services.clock.now()
    async with services.uow(write=False) as uow:
        await repos(uow).runs.due_ids(now, 50)
        await repos(uow).runs.next_due()
        await repos(uow).outbox.due(now, 50, skip_chats=[1, 2])
        await repos(uow).outbox.next_attempt(now)
        await repos(uow).outbox.claimers()
    async with services.uow() as uow:  # issue 13: the claim and a dead claimer's rows
        await repos(uow).outbox.claim([1, 2, 3], "host:1:a", now, now)
        await repos(uow).outbox.release_all_of("host:2:b", now)


async def _conversion_batch(services: CrmServices) -> None:
    async with services.uow(write=False) as uow:
        await uow.conversion.count_open_leads()
        await uow.conversion.open_leads_after(0, 200)
