"""Reads beside the writer: a read unit of work waits neither for a write nor for another
read, sees every commit made before it began, and never lets its snapshot into the shared
caches. Slow statements are made slow deterministically: they wait inside SQLite (in the
connection's own thread) for a gate the test opens."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator

import pytest

from crm.container import CrmServices
from crm.events import EventBus
from crm.models import Staff
from crm.services.items import NewItem
from crm.storage.database import Database
from crm.storage.first_statement import BeginsOnFirstStatement
from crm.storage.sqlite.connection import SqliteConnection
from crm.storage.unit_of_work import NestedUnitOfWork, UnitOfWork, UnitOfWorkFactory
from tests.databases import sqlite_only

# SQLite's own: a Python function gates the writer inside aiosqlite's thread.
pytestmark = sqlite_only

SOON = 5.0  # seconds: only a hang ever gets near it


class Gate:
    """An SQL function `gate()` that blocks its connection's thread until `open()`."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self._open = threading.Event()
        self._loop = asyncio.get_running_loop()

    def wait(self) -> int:  # runs in aiosqlite's thread
        self._loop.call_soon_threadsafe(self.entered.set)
        if not self._open.wait(SOON * 2):
            raise TimeoutError("the gate was never opened")
        return 1

    def open(self) -> None:
        self._open.set()

    async def install(self, uow: UnitOfWork) -> None:
        conn = uow.conn
        if isinstance(conn, BeginsOnFirstStatement):  # a read's
            conn = conn.connection
        assert isinstance(conn, SqliteConnection)
        await conn.raw.create_function("gate", 0, self.wait)


@pytest.fixture
async def gate() -> AsyncIterator[Gate]:
    g = Gate()
    yield g
    g.open()


async def _title(services: CrmServices, item_id: int) -> str:
    async with services.uow(write=False) as uow:
        item = await uow.items.get(item_id)
    assert item is not None
    return item.title


async def test_a_read_is_answered_while_the_writer_is_busy(
        services: CrmServices, admin: Staff, gate: Gate) -> None:
    item = await services.items.create(admin, NewItem("deal", "Relaunch"))

    async def slow_write() -> None:
        async with services.uow() as uow:
            await uow.conn.execute("UPDATE items SET title = 'Renamed' WHERE id = ?", (item.id,))
            await gate.install(uow)
            await uow.conn.execute_fetchall("SELECT gate()")  # the writer is busy here
            await uow.commit()

    writer = asyncio.create_task(slow_write())
    await asyncio.wait_for(gate.entered.wait(), SOON)
    assert await asyncio.wait_for(_title(services, item.id), SOON) == "Relaunch"  # committed
    assert not writer.done()
    gate.open()
    await asyncio.wait_for(writer, SOON)
    assert await _title(services, item.id) == "Renamed"  # a read after the commit sees it


async def test_a_slow_read_holds_up_neither_reads_nor_writes(
        services: CrmServices, admin: Staff, gate: Gate) -> None:
    item = await services.items.create(admin, NewItem("deal", "Relaunch"))

    async def slow_read() -> str:
        async with services.uow(write=False) as uow:
            before = await uow.items.get(item.id)
            await gate.install(uow)
            await uow.conn.execute_fetchall("SELECT gate()")  # e.g. a /find over 1M items
            after = await uow.items.get(item.id)  # its own snapshot, all through
            assert before is not None and after is not None
            return after.title

    reader = asyncio.create_task(slow_read())
    await asyncio.wait_for(gate.entered.wait(), SOON)
    assert await asyncio.wait_for(_title(services, item.id), SOON) == "Relaunch"
    moved = await asyncio.wait_for(services.items.create(admin, NewItem("deal", "Second")),
                                   SOON)
    assert await asyncio.wait_for(_title(services, moved.id), SOON) == "Second"
    assert not reader.done()
    async with services.uow() as uow:
        await uow.conn.execute("UPDATE items SET title = 'Renamed' WHERE id = ?", (item.id,))
        await uow.commit()
    gate.open()
    assert await asyncio.wait_for(reader, SOON) == "Relaunch"  # began before the rename
    assert await _title(services, item.id) == "Renamed"


async def test_a_snapshot_older_than_a_commit_never_reaches_the_shared_rows(
        services: CrmServices, admin: Staff) -> None:
    _pipeline, stages = await services.catalog.pipeline(2)
    stage = stages[1]
    reading = asyncio.Event()
    renamed = asyncio.Event()

    async def old_reader() -> str:
        async with services.uow(write=False) as uow:
            await uow.items.get(1)  # its snapshot starts here, before the rename
            reading.set()
            await renamed.wait()
            seen = await uow.catalog.get_stage(stage.id)  # loaded from the old snapshot
            assert seen is not None
            return seen.name_en

    task = asyncio.create_task(old_reader())
    await asyncio.wait_for(reading.wait(), SOON)
    await services.catalog.rename_stage(admin, stage.id, "Paperwork")
    renamed.set()
    assert await asyncio.wait_for(task, SOON) == stage.name_en
    async with services.uow(write=False) as uow:
        fresh = await uow.catalog.get_stage(stage.id)
    assert fresh is not None and fresh.name_en == "Paperwork"


async def test_reads_wait_only_for_a_free_read_connection(services: CrmServices,
                                                          admin: Staff) -> None:
    release = asyncio.Event()
    four_inside = asyncio.Event()
    inside = 0

    async def hold() -> None:
        nonlocal inside
        async with services.uow(write=False) as uow:
            await uow.staff.get(admin.user_id)
            inside += 1
            if inside == 4:
                four_inside.set()
            await release.wait()

    holders = [asyncio.create_task(hold()) for _ in range(4)]
    await asyncio.wait_for(four_inside.wait(), SOON)
    fifth = asyncio.create_task(hold())
    for _ in range(20):
        await asyncio.sleep(0)
    assert inside == 4  # the pool holds four: the fifth waits for one of them
    async with services.uow() as uow:  # the writer does not
        await uow.settings.set("probe", "1")
        await uow.commit()
    release.set()
    await asyncio.wait_for(asyncio.gather(*holders, fifth), SOON)
    assert inside == 5


async def test_a_unit_of_work_inside_another_is_refused(services: CrmServices) -> None:
    async with services.uow() as outer:
        with pytest.raises(NestedUnitOfWork):
            async with services.uow(write=False):
                pass
        await outer.settings.set("still", "usable")
        await outer.commit()
    async with services.uow(write=False) as outer_read:
        with pytest.raises(NestedUnitOfWork):
            async with services.uow():
                pass
        assert await outer_read.settings.get("still") == "usable"


async def test_a_read_connection_refuses_writes(services: CrmServices) -> None:
    async with services.uow(write=False) as uow:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await uow.settings.set("sneaky", "write")


async def test_an_in_memory_database_reads_on_the_writer() -> None:
    db = Database(":memory:")
    await db.open()
    try:
        uows = UnitOfWorkFactory(db, EventBus())
        async with uows() as uow:
            await uow.settings.set("mode", "simple")
            await uow.commit()
        async with uows(write=False) as uow:
            assert await uow.settings.get("mode") == "simple"
    finally:
        await db.close()


async def test_a_cancellation_during_commit_still_stops_the_task(services: CrmServices) -> None:
    """A worker cancelled while its COMMIT runs in the connection's thread: the transaction
    has ended there, and leaving the unit of work must pass the cancellation on (not turn it
    into "cannot rollback"), or `stop()` waits for a worker that carries on for ever."""
    async def work() -> None:
        async with services.uow() as uow:
            await uow.settings.set("kept", "yes")
            await uow.conn.execute("COMMIT")  # what the thread did before the cancel arrived
            raise asyncio.CancelledError

    task = asyncio.create_task(work())
    with pytest.raises(asyncio.CancelledError):
        await task
    async with services.uow() as uow:  # the writer is free again
        assert await uow.settings.get("kept") == "yes"


async def test_a_commit_is_on_disk_before_it_returns(services: CrmServices) -> None:
    """synchronous=FULL on the writer: a commit survives a power cut, as on PostgreSQL."""
    async with services.uow() as uow:
        rows = await uow.conn.execute_fetchall("PRAGMA synchronous")
    assert next(iter(rows))[0] == 2  # FULL (NORMAL, 1, loses the last commits with the power)
