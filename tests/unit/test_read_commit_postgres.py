"""A read's COMMIT on PostgreSQL (PostgresDatabase.end_read): its reader is free at once, the
COMMIT goes first in the reader's next round trip, and a reader nobody takes sends it on its
own soon after — no snapshot is held longer, and each read sees what was committed before
it began."""

from __future__ import annotations

import asyncio

import pytest

from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from crm.storage.postgres.connection import PostgresConnection
from crm.storage.postgres.database import COMMIT_AFTER
from tests.databases import postgresql_only

pytestmark = postgresql_only


async def _reader_states(services: CrmServices) -> list[str]:
    async with services.uow() as uow:  # the writer's own session, not a reader's
        rows = await uow.conn.execute_fetchall(
            "SELECT state FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            " AND application_name = 'crm-bot'")
    return sorted(str(r[0]) for r in rows)


async def test_the_next_read_carries_the_commit_and_sees_what_came_since(
        services: CrmServices, admin: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    first = await services.items.create(admin, NewItem("deal", "Relaunch"))
    assert (await services.items.get(admin, first.id)).title == "Relaunch"
    sent: list[list[str]] = []
    send = PostgresConnection.send_together

    async def recorded(self: PostgresConnection, statements: list[tuple[str, object]]
                       ) -> object:
        owed = self._owed_commit
        sent.append(["COMMIT"] * owed + [sql.split()[0] for sql, _ in statements])
        return await send(self, statements)  # type: ignore[arg-type]
    monkeypatch.setattr(PostgresConnection, "send_together", recorded)
    second = await services.items.create(admin, NewItem("deal", "Windows"))
    assert (await services.items.get(admin, second.id)).title == "Windows"
    assert any(pipeline[:2] == ["COMMIT", "BEGIN"] for pipeline in sent)


async def test_a_reader_nobody_takes_commits_on_its_own(
        services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await services.items.get(admin, item.id)  # a read: its reader now owes its COMMIT
    await asyncio.sleep(COMMIT_AFTER + 0.3)
    assert "idle in transaction" not in await _reader_states(services)
