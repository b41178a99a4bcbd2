"""PostgreSQL ends sessions the bot holds (a server restart, a terminated backend, a process
frozen inside a transaction past its timeout): the next unit of work connects again and
nothing committed is lost."""

from __future__ import annotations

import psycopg

from crm.container import CrmServices
from crm.models import Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from tests.databases import postgresql_only

pytestmark = postgresql_only


def _end_sessions_of(url: str) -> int:
    """Terminates every session of the bot on the database, as a restart would."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND application_name = 'crm-bot'").fetchall()
    return len(rows)


async def test_after_the_server_ended_its_sessions_the_bot_writes_and_reads_on(
        services: CrmServices, admin: Staff) -> None:
    before = await services.items.create(admin, NewItem("deal", "Before the restart"))
    await _titles(services, admin)  # a read connection, now idle in the pool
    assert _end_sessions_of(services.db.location) >= 2  # the writer and a reader

    after = await services.items.create(admin, NewItem("deal", "After the restart"))
    titles = await _titles(services, admin)
    assert "Before the restart" in titles and "After the restart" in titles
    assert after.id > before.id


async def _titles(services: CrmServices, admin: Staff) -> list[str]:
    items, _total = await services.items.list(admin, ItemQuery(type_code="deal"))
    return [item.title for item in items]
