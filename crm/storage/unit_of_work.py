"""A unit of work: one transaction, the repositories bound to it, and its events.

Usage (by a service):

    async with uow_factory() as uow:
        item = await uow.items.get(42)
        ...
        await uow.publish(SomeEvent(...))   # subscribers write in this transaction
        await uow.commit()

Leaving the block without `commit()` rolls back. Callbacks registered with
`after_commit` run once the commit has succeeded (e.g. waking the rules engine).

A writing unit of work holds the database's writer lock and its one connection
(SQLite: `BEGIN IMMEDIATE`; PostgreSQL: BEGIN and an advisory lock, see database.py). A read
(`write=False`) takes a read connection of its own instead (see database.py), so it waits
neither for the writer nor for other reads; it still opens a transaction, so that a read of
several statements sees one state. `atomic=False` skips BEGIN and COMMIT for a unit of work
of one statement, which is atomic by itself (two round trips fewer).

A read begins its transaction only with its first statement, or when it first asks for
the staff or catalog rows kept in memory (their versions ride on the BEGIN): a read that
ends up sending nothing sends no BEGIN and no ROLLBACK either (on PostgreSQL each is a
round trip to the server). Without a transaction (`atomic=False`) the versions are read on
their own when first needed, and not at all otherwise; while a Telegram update is handled,
such a read takes the versions the update's units of work read last (a change another
process commits meanwhile is seen from the update's next transaction on, or the next
update's arrival).

The first writing unit of work committed while a Telegram update is handled records the
update in the same transaction (see handled_updates.py). A unit of work opened inside
another one of the same task is refused at once: a write inside a write would wait for the
lock its own task holds, and a read inside a write would not see the write's changes.
One use case, one unit of work, passed down to its steps.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractContextManager, asynccontextmanager
from types import TracebackType
from typing import Any, Protocol, TypeVar, cast

from crm.storage.connection import Connection, DatabaseError, Params
from crm.storage.database import Database, Mode
from crm.storage.first_statement import BeginsOnFirstStatement
from crm.storage.handled_updates import UpdateAlreadyHandled, update_being_handled
from crm.storage.repos.activities import ActivityRepo
from crm.storage.repos.catalog import CatalogRepo
from crm.storage.repos.clients import ClientRepo
from crm.storage.repos.conversion import ConversionRepo
from crm.storage.repos.item_copies import ItemCopyRepo
from crm.storage.repos.items import ItemRepo
from crm.storage.repos.rotation import RotationRepo
from crm.storage.repos.settings import SettingsRepo
from crm.storage.repos.staff import StaffRepo
from crm.storage.repos.team_chats import TeamChatRepo
from crm.storage.repos.timeline import TimelineRepo

log = logging.getLogger(__name__)
R = TypeVar("R")


class EventPublisher(Protocol):
    """Where a unit of work publishes its events (crm.events.EventBus): the subscribers
    receive the unit of work, to write in its transaction."""

    async def publish(self, event: object, uow: UnitOfWork) -> None: ...


class NestedUnitOfWork(RuntimeError):
    """A unit of work was opened inside another one: one use case, one transaction."""

    def __init__(self) -> None:
        super().__init__("a unit of work was opened inside another one of the same task; "
                         "pass the open unit of work down instead")


class UnitOfWork:
    def __init__(self, db: Database, bus: EventPublisher, write: bool = True,
                 atomic: bool = True) -> None:
        self._db = db
        self._bus = bus
        self._write = write
        self._transaction = atomic
        self._committed = False
        self._after_commit: list[Callable[[], Awaitable[None] | None]] = []
        self._extra: dict[Callable[[Connection], object], object] = {}
        self._reader: Connection | None = None  # a read connection of the pool
        self._task: asyncio.Task[object] | None = None
        self._began = False  # whether its BEGIN was sent (a read's is sent when needed)
        self._versions: dict[str, int] | None = None  # the cached tables', once read
        self._statements: BeginsOnFirstStatement | None = None  # a read's: begins when used

    @property
    def conn(self) -> Connection:
        """Where its statements go (a read's first one begins its transaction)."""
        if self._statements is not None:
            return self._statements
        return self._connection

    @property
    def _connection(self) -> Connection:
        return self._reader if self._reader is not None else self._db.conn

    async def __aenter__(self) -> UnitOfWork:
        task = asyncio.current_task()
        if task is not None and task in self._db.in_unit_of_work:
            raise NestedUnitOfWork
        if self._write or not self._db.has_readers:
            await self._db.lock.acquire()
        else:
            self._reader = await self._db.acquire_reader()
        self._task = task
        if task is not None:
            self._db.in_unit_of_work.add(task)
        if self._write:
            try:
                await self._begin()
                assert self._versions is not None
                versions = self._versions
            except BaseException:
                self._release()
                raise
            self.staff = StaffRepo(self.conn, self._db.staff_cache.at(versions["staff"]))
            self.catalog = CatalogRepo(self.conn,
                                       self._db.catalog_cache.at(versions["catalog"]))
        else:
            if self._transaction:  # (without one, a statement has nothing to wait for)
                self._statements = BeginsOnFirstStatement(self._connection, self._begin)
            self.staff = StaffRepo(self.conn, self._db.staff_cache,
                                   lambda: self._version("staff"))
            self.catalog = CatalogRepo(self.conn, self._db.catalog_cache,
                                       lambda: self._version("catalog"))
        conn = self.conn
        self.items = ItemRepo(conn)
        self.clients = ClientRepo(conn)
        self.settings = SettingsRepo(conn)
        self.timeline = TimelineRepo(conn)
        self.activities = ActivityRepo(conn)
        self.conversion = ConversionRepo(conn)
        self.team_chats = TeamChatRepo(conn)
        self.rotation = RotationRepo(conn)
        self.item_copies = ItemCopyRepo(conn)
        return self

    async def _begin(self, first: tuple[str, Params] | None = None) -> list[Any]:
        """Sends its BEGIN (none without a transaction) and reads the cached tables' versions
        with it, so in the snapshot of every read after it: they tell whether the rows kept
        in memory are still those of this snapshot (another process may have changed the
        tables; see cache_versions.py). `first`: a read sent with them (on PostgreSQL in
        the same round trip); its rows."""
        mode: Mode = ("write" if self._write else "read") if self._transaction else None
        self._began = mode is not None
        rows: list[Any] = []
        try:
            if first is None:
                self._versions = await self._db.begin(self._connection, mode)
            else:
                self._versions, rows = await self._db.begin_with(self._connection, mode, *first)
        except BaseException:
            if mode is not None:  # in case the BEGIN went through (queued after it)
                with contextlib.suppress(*DatabaseError, RuntimeError):
                    await self._connection.execute("ROLLBACK")
                    self._began = False
            raise
        update = update_being_handled()
        if update is not None:
            update.versions = self._versions
        return rows

    async def _version(self, group: str) -> int:
        """The version of a group of cached tables, read when first needed: with the BEGIN
        (a read's transaction begins here). A unit of work without a transaction takes those
        the Telegram update being handled read last, or reads them alone."""
        update = update_being_handled()
        if self._versions is None and not self._transaction and update is not None:
            self._versions = update.versions
        if self._versions is None and self._transaction:
            assert self._statements is not None  # a read's: its statements begin it once
            await self._statements.begun()  # (a statement run beside it may be sending it)
        elif self._versions is None:
            await self._begin()
        assert self._versions is not None
        return self._versions[group]

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._began and not self._committed and exc is None and self._reader is not None:
            # A read that went well: the end of its transaction needs no waiting for.
            self._release(ending=True)
            return
        ended = False
        try:
            if self._began and not self._committed:
                await self._roll_back(exc)
            ended = True
        finally:
            self._release(reusable=ended or not self._transaction or self._committed)
        if self._committed:
            for callback in self._after_commit:
                try:
                    result = callback()
                    if result is not None:
                        await result
                except Exception:  # an after-commit hook must not undo a committed change
                    log.exception("after-commit callback failed")

    async def _roll_back(self, leaving_with: BaseException | None) -> None:
        try:
            await self._connection.execute("ROLLBACK")
        except DatabaseError:
            if leaving_with is None or self._connection.in_transaction:
                raise
            # Cancelled while its COMMIT ran in the connection's thread: the transaction
            # ended there. What brought us here (a cancellation above all: a worker being
            # stopped) must go on, not be replaced by "no transaction is active".
            log.warning("transaction had already ended when %r left it", leaving_with)

    def _release(self, reusable: bool = True, ending: bool = False) -> None:
        """`ending`: a read's transaction is still to be ended on its reader."""
        if self._task is not None:
            self._db.in_unit_of_work.discard(self._task)
        if self._reader is not None and ending:
            self._db.end_read(self._reader)
        elif self._reader is not None:
            self._db.release_reader(self._reader, reusable)
        else:
            self._db.lock.release()

    def extension(self, factory: Callable[[Connection], R]) -> R:
        """What another package (the rules engine's `repos(uow)`) binds to this transaction,
        made on first use and kept for the rest of the unit of work."""
        if factory not in self._extra:
            self._extra[factory] = factory(self.conn)
        # Each one is kept under the factory that made it, so it is of that factory's type.
        return cast(R, self._extra[factory])

    @asynccontextmanager
    async def savepoint(self, name: str = "step") -> AsyncIterator[None]:
        """A part of the transaction that an exception undoes alone (the rest stays)."""
        await self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self.conn.execute(f"ROLLBACK TO {name}")
            await self.conn.execute(f"RELEASE {name}")
            raise
        await self.conn.execute(f"RELEASE {name}")

    async def publish(self, event: object) -> None:
        await self._bus.publish(event, self)

    def together(self) -> AbstractContextManager[None]:
        """Around statements run side by side (asyncio.gather): they go to the database in
        one trip where it can (see Connection.together)."""
        return self.conn.together()

    def after_commit(self, callback: Callable[[], Awaitable[None] | None]) -> None:
        self._after_commit.append(callback)

    async def commit(self) -> None:
        update = update_being_handled() if self._write and self._transaction else None
        if update is not None and not update.recorded:
            # What goes with the update's record first, then the record and the COMMIT (on
            # PostgreSQL in one round trip). A re-delivery fails at the record, and all of
            # it is rolled back on the way out.
            writes, update.recorded_with = update.recorded_with, []
            for write in writes:
                await write(self.conn)
            if not await self._db.commit_recording(self._connection, update.update_id,
                                                   update.arrived_at):
                update.recorded_with = writes
                raise UpdateAlreadyHandled(update.update_id)
        elif self._began:
            await self._connection.execute(
                self._db.commit_statement if self._write else "COMMIT")
        self.staff.committed()  # what readers may have cached is stale now
        self.catalog.committed()
        if update is not None:
            update.recorded = True
        self._committed = True


class UnitOfWorkFactory:
    """What services receive: call it for a fresh unit of work."""

    def __init__(self, db: Database, bus: EventPublisher) -> None:
        self.db = db
        self.bus = bus

    def __call__(self, write: bool = True, atomic: bool = True) -> UnitOfWork:
        return UnitOfWork(self.db, self.bus, write=write, atomic=atomic)
