"""Staff and catalog rows kept in memory stay true when another process changes them (issue
13): two Database objects on one database, as two bot processes; each keeps its own rows."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.errors import PermissionDenied
from crm.models import Role, Staff
from crm.storage.database import Database
from crm.storage.repos import SharedRows
from tests.conftest import ADMIN_ID, add_staff
from tests.databases import ON_POSTGRESQL, database_location, query

SOON = 5.0  # seconds: what should happen at once, with room for a loaded machine
CACHED_TABLES = ("staff", "entity_types", "pipelines", "stages")  # StaffRepo, CatalogRepo


@pytest.fixture
async def other(db: Database, clock: FrozenClock) -> AsyncIterator[CrmServices]:
    """The services of a second process on the same database file."""
    second = Database(db.location)
    await second.open()
    yield build_services(second, clock, admin_ids=[ADMIN_ID])
    await second.close()


async def role_there(services: CrmServices, user_id: int) -> Role | None:
    staff = await services.staff.identify(user_id)
    return staff.role if staff is not None else None


async def test_a_demoted_admin_is_refused_on_the_other_process_at_once(
        services: CrmServices, other: CrmServices, admin: Staff) -> None:
    await add_staff(services, admin, 2001, Role.ADMIN)
    bea = await other.staff.identify(2001)  # the other process has her rows now
    assert bea is not None and bea.role is Role.ADMIN
    await other.staff.create_invite(bea, Role.SALES)

    await services.staff.set_role(admin, 2001, Role.SALES)
    bea = await other.staff.identify(2001)  # her next update there, no wait
    assert bea is not None and bea.role is Role.SALES
    with pytest.raises(PermissionDenied):
        await other.staff.create_invite(bea, Role.SALES)


async def test_a_removed_salesperson_is_nobody_on_the_other_process_at_once(
        services: CrmServices, other: CrmServices, admin: Staff) -> None:
    await add_staff(services, admin, 2002, Role.SALES)
    assert await other.staff.identify(2002) is not None
    await services.staff.remove(admin, 2002)
    assert await other.staff.identify(2002) is None


async def test_catalog_changes_are_seen_on_the_other_process_at_once(
        services: CrmServices, other: CrmServices, admin: Staff) -> None:
    _pipeline, stages = await other.catalog.pipeline(2)
    assert [p.name_en for p in await other.catalog.pipelines("deal")] == ["General"]
    await services.catalog.rename_stage(admin, stages[1].id, "Paperwork")
    await services.catalog.add_pipeline(admin, "deal", "Export")
    _pipeline, stages = await other.catalog.pipeline(2)
    assert stages[1].name_en == "Paperwork"
    assert [p.name_en for p in await other.catalog.pipelines("deal")] == ["General", "Export"]


async def test_a_mode_switch_is_seen_on_the_other_process_at_once(
        services: CrmServices, other: CrmServices, admin: Staff) -> None:
    """The mode is kept in memory with the catalog: leads show up in the other process's
    lists as soon as this one switches to classic, and go with the switch back."""
    assert "lead" not in [t.code for t in await other.catalog.types()]
    await services.mode.switch_to_classic(admin)
    assert "lead" in [t.code for t in await other.catalog.types()]
    await services.mode.switch_to_simple(admin)
    assert "lead" not in [t.code for t in await other.catalog.types()]
    assert "lead" not in [t.code for t in await services.catalog.types()]


async def test_a_change_made_outside_the_bot_is_seen_too(
        db: Database, other: CrmServices, admin: Staff) -> None:
    """A migration or a script writes the tables directly: the triggers move the version."""
    assert await other.staff.identify(ADMIN_ID) is not None
    query(db.location, "UPDATE staff SET active = 0 WHERE user_id = ?", (ADMIN_ID,))
    assert await other.staff.identify(ADMIN_ID) is None


async def test_an_older_snapshot_never_reaches_the_shared_rows(
        services: CrmServices, other: CrmServices, admin: Staff) -> None:
    """A read begun before the other process's change goes on seeing its own snapshot; the
    rows it reads are not kept for the units of work after the change."""
    await add_staff(services, admin, 2003, Role.ADMIN)
    reading, changed = asyncio.Event(), asyncio.Event()

    async def old_reader() -> Role:
        async with other.uow(write=False) as uow:
            await uow.settings.get("crm_mode")  # its first read: its snapshot, before the change
            reading.set()
            await changed.wait()
            seen = await uow.staff.get(2003)
            assert seen is not None
            return seen.role

    task = asyncio.create_task(old_reader())
    await asyncio.wait_for(reading.wait(), SOON)
    await services.staff.set_role(admin, 2003, Role.SALES)
    assert await role_there(other, 2003) is Role.SALES  # a unit of work after the change
    changed.set()
    assert await asyncio.wait_for(task, SOON) is Role.ADMIN
    assert await role_there(other, 2003) is Role.SALES


def test_rows_are_kept_only_for_the_version_they_were_read_at() -> None:
    rows = SharedRows()
    assert rows.at(3) is rows
    rows.rows["ada"] = "admin"
    assert rows.at(3) is rows and rows.rows == {"ada": "admin"}
    assert rows.at(2) is None  # an older snapshot: rows of its own
    assert rows.rows == {"ada": "admin"}
    assert rows.at(4) is rows and rows.rows == {}  # changed elsewhere: read again
    assert rows.at(3) is None


async def test_the_writing_process_keeps_its_rows_true(
        services: CrmServices, other: CrmServices, admin: Staff) -> None:
    """Both processes change the team in turn; each sees every change."""
    await add_staff(services, admin, 2004, Role.SALES)
    ada_there = await other.staff.identify(ADMIN_ID)
    assert ada_there is not None
    for turn, role in enumerate([Role.MANAGER, Role.SALES, Role.ADMIN, Role.MANAGER]):
        writer, reader = (services, other) if turn % 2 else (other, services)
        await writer.staff.set_role(ada_there, 2004, role)
        for side in (writer, reader):
            assert await role_there(side, 2004) is role


def test_every_cached_table_moves_its_version(tmp_path: Path) -> None:
    """Each process-wide cache of rows has its version row, and each of its tables the
    triggers that move it (a later migration that makes a table anew must add them again)."""

    async def schema() -> tuple[list[str], set[tuple[str, str]]]:
        database = Database(database_location(tmp_path))
        await database.open()
        try:
            names = await database.conn.execute_fetchall("SELECT name FROM cache_versions")
            if ON_POSTGRESQL:  # row triggers calling the function that moves the version
                moving = await database.conn.execute_fetchall(
                    "SELECT event_object_table, event_manipulation"
                    " FROM information_schema.triggers WHERE action_timing = 'AFTER'"
                    " AND action_orientation = 'ROW'"
                    " AND action_statement LIKE '%cache_version_bump%'")
                return sorted(row[0] for row in names), {(r[0], r[1]) for r in moving}
            triggers = await database.conn.execute_fetchall(
                "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND sql LIKE '%UPDATE cache_versions%'")
            return sorted(row[0] for row in names), {
                (row[0], event) for row in triggers for event in ("INSERT", "UPDATE", "DELETE")
                if f"AFTER {event} ON {row[0]}" in row[1]}
        finally:
            await database.close()

    names, triggers = asyncio.run(schema())
    assert names == ["catalog", "staff"]
    assert triggers == {(table, event) for table in (*CACHED_TABLES, "app_settings")
                        for event in ("INSERT", "UPDATE", "DELETE")}  # app_settings: the mode
