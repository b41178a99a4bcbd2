"""The pipeline overview, the totals of /items and the sales report read indexes only
(issue 12): no full scan of items or stage history, and the overview groups in an index's
order, reading only the index (no sort of a million rows, no look-up of each row)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from decimal import Decimal
from functools import partial

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from tests.conftest import add_staff
from tests.databases import ON_POSTGRESQL
from tests.query_plans import SKIP, plan_connection, plan_lines, recording, scans

# The overview's grouping reads only the index, in its order (SQLite: a covering index and no
# temp b-tree; PostgreSQL: an index-only scan and no sort).
READS_INDEX_ONLY, SORTS = (("Index Only Scan using items_open_by", "Sort") if ON_POSTGRESQL
                           else ("COVERING INDEX items_open_by", "TEMP B-TREE"))


async def test_overview_totals_and_report_read_indexes(
        services: CrmServices, admin: Staff, clock: FrozenClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    made = [await services.items.create(admin if n % 2 else sam, NewItem(
        "deal", f"Deal {n}", amount=Decimal(n))) for n in range(1, 9)]
    clock.advance(days=2)
    for item in made[:4]:
        await services.items.move(admin, item.id, item.stage_id + 1)
    now = clock.now()
    paths: dict[str, Callable[[], Awaitable[object]]] = {}
    for who in (admin, sam):
        for team in (False, True):
            paths[f"overview {who.role} team={team}"] = partial(
                services.overview.pipeline, who, made[0].pipeline_id, team)
        for filters in ({}, {"type_code": "deal"}, {"stage_id": made[0].stage_id},
                        {"responsible_id": who.user_id, "type_code": "deal"}):
            query = ItemQuery(**filters, open_only=True, limit=8)
            paths[f"totals {who.role} {filters}"] = partial(
                services.overview.list_totals, who, query)
        paths[f"report {who.role}"] = partial(
            services.sales_report.report, who, made[0].pipeline_id, now - timedelta(days=30),
            now + timedelta(seconds=1))
    offenders = []
    with plan_connection(services.uow.db.location) as conn:
        for name, run in paths.items():
            async with recording(monkeypatch) as statements:
                await run()
            assert statements, name
            for sql, args in statements:
                if SKIP.match(sql):
                    continue
                paged = name.startswith("totals")
                offenders += [f"{name}: {line}\n    {' '.join(sql.split())}"
                              for line in scans(conn, sql, args, paged)]
                if "GROUP BY stage_id, currency" in sql:
                    plan = plan_lines(conn, sql, args)
                    if not any(READS_INDEX_ONLY in line for line in plan) or any(
                            SORTS in line for line in plan):
                        offenders.append(f"{name}: {plan}")
    assert not offenders, "\n".join(offenders)
