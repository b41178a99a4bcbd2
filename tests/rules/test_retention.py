"""What only grows is pruned after its retention; what status and history show stays."""

from __future__ import annotations

from datetime import timedelta

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from crm.storage.handled_updates import handling_update
from rules.container import Automation
from rules.retention import Pruned, RetentionJob
from rules.services.status import Shown
from tests.query_plans import plan_connection, plan_lines, scans
from tests.rules.conftest import RecordingTransport, add_rule, client_contact, stage_id


async def _count(services: CrmServices, table: str) -> int:
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(f"SELECT COUNT(*) FROM {table}")
    return int(next(iter(rows))[0])


async def test_old_updates_delivered_messages_and_past_runs_go_current_ones_stay(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    preparing = await stage_id(services, "deal", "preparing_documents")
    for stage in (new, preparing):
        await add_rule(automation, admin, stage, "message_client", {"text": "Hello"},
                       title=f"Hello {stage}")
    contact = await client_contact(services)
    with handling_update(1, clock.now()):
        old = await services.items.create(admin, NewItem("deal", "Old", contact_id=contact.id))
    await automation.tick()
    await services.items.move(admin, old.id, preparing)  # the "new" run is of a past entry
    await automation.tick()
    clock.advance(days=200)
    with handling_update(2, clock.now()):
        fresh = await services.items.create(admin, NewItem("deal", "Fresh",
                                                           contact_id=contact.id))
    await automation.tick()
    assert await _count(services, "rule_runs") == 3
    assert await _count(services, "outbox") == 3

    pruned = await RetentionJob(services.uow, services.clock, timedelta(days=180)).run()

    assert pruned == Pruned(updates=1, outbox=2, runs=1)
    assert await _count(services, "processed_updates") == 1  # update 2 is a day old
    assert await _count(services, "outbox") == 1
    for item in (old, fresh):  # the current entries' runs still show
        [shown] = (await automation.status.status(admin, item.id)).current
        assert shown.shown is Shown.EXECUTED
    async with services.uow(write=False) as uow:
        assert len(await uow.items.history(old.id)) == 2


async def test_pruning_reads_indexes_not_whole_tables(services: CrmServices) -> None:
    from rules.storage import retention_repo

    with plan_connection(services.uow.db.location) as conn:
        for sql in (retention_repo._UPDATES, retention_repo._OUTBOX, retention_repo._RUNS):
            assert scans(conn, sql, ("2026-01-01", 10)) == [], plan_lines(
                conn, sql, ("2026-01-01", 10))
