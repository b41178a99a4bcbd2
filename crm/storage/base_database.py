"""The database the units of work run on: SQLite (a file, the embedded default) or PostgreSQL
(DATABASE_URL=postgresql://…), the same to everything above it.

`Database(location)` opens the kind its location names: a `postgresql://` URL gives
PostgresDatabase, anything else (a file path, ":memory:") SqliteDatabase (each kind
registers itself here; import Database from crm.storage.database, which loads both). Both keep one
writing connection behind an asyncio lock — one writing unit of work at a time per process,
and across processes one at a time too (SQLite's BEGIN IMMEDIATE; PostgreSQL's advisory
transaction lock) — and a few reading connections, each read in a snapshot of its own.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar, Literal

from crm.storage.connection import Connection, DatabaseError, Params
from crm.storage.dialect import Dialect
from crm.storage.repos import SharedRows
from crm.storage.repos.settings import SettingsRepo

log = logging.getLogger(__name__)

MIGRATIONS_PACKAGE = "crm.storage.migrations"
READERS = 4  # read connections at most, opened when first needed
Mode = Literal["write", "read"] | None  # a unit of work's transaction (None: none)


def is_postgresql(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


class Database:
    kinds: ClassVar[dict[bool, type[Database]]] = {}  # is_postgresql(location) -> the class for it

    def __new__(cls, location: str | Path, readers: int = READERS) -> Database:
        if cls is not Database:
            return super().__new__(cls)
        return super().__new__(Database.kinds[is_postgresql(location)])

    def __init__(self, location: str | Path, readers: int = READERS) -> None:
        self.lock = asyncio.Lock()  # the writer's: one writing unit of work at a time
        self.in_unit_of_work: set[asyncio.Task[Any]] = set()  # tasks with one open
        self.catalog_cache = SharedRows()  # see CatalogRepo
        self.staff_cache = SharedRows()  # see StaffRepo
        # The readers: up to `readers` connections, opened when first needed and kept.
        self._reader_slots = asyncio.Semaphore(max(readers, 1))
        self._idle: list[Connection] = []
        self._open_readers: list[Connection] = []
        self._ending: set[asyncio.Task[None]] = set()  # reads' COMMITs (end_read)

    def _forget_caches(self) -> None:
        """The database is being (re)opened: nothing kept from before is known to hold."""
        self.catalog_cache.forget()
        self.staff_cache.forget()

    @property
    def location(self) -> str:
        """What it was opened with: the file's path, or the URL (Database(location) opens it
        again, in another process too)."""
        raise NotImplementedError

    @property
    def dialect(self) -> Dialect:
        raise NotImplementedError

    @property
    def has_readers(self) -> bool:
        """Whether reads take connections of their own (not the writer's lock)."""
        raise NotImplementedError

    @property
    def commit_statement(self) -> str:
        """What ends a writing unit of work's transaction."""
        return "COMMIT"

    @property
    def conn(self) -> Connection:
        """The writing connection (hold `lock` while using it)."""
        raise NotImplementedError

    async def open(self) -> None:
        """Connects and applies the migrations the database lacks."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    async def migrate(self) -> list[int]:
        """Applies the migrations the database lacks; their numbers."""
        raise NotImplementedError

    async def acquire_reader(self) -> Connection:
        """A read connection for one unit of work (waits while all are taken)."""
        await self._reader_slots.acquire()
        try:
            if self._idle:
                return self._idle.pop()
            reader = await self._connect_reader()
            self._open_readers.append(reader)
            return reader
        except BaseException:
            self._reader_slots.release()
            raise

    def release_reader(self, conn: Connection, reusable: bool = True) -> None:
        """`reusable`: its transaction ended, so it may be handed out again."""
        if reusable and self._reader_usable(conn):
            self._idle.append(conn)
        else:  # its transaction could not be ended, or its session is gone
            self._open_readers.remove(conn)
            asyncio.get_running_loop().create_task(self._close_reader(conn))
        self._reader_slots.release()

    def end_read(self, conn: Connection) -> None:
        """Ends the read transaction of a reader in a task of its own, and releases the
        reader after it: the read's answer need not wait for the end of its transaction (on
        PostgreSQL a round trip to the server). Until then the reader is not handed out
        again. It ends with COMMIT: a read has nothing to undo, and on a ROLLBACK psycopg
        forgets every statement it prepared on the connection (and deallocates them on
        the server before the next one), so each read would prepare its statements anew."""
        self._ending_in_background(self._end_read(conn))

    def _ending_in_background(self, ending: Coroutine[Any, Any, None]) -> None:
        """Runs the end of a read in a task of its own, which close() waits for."""
        task = asyncio.get_running_loop().create_task(ending)
        self._ending.add(task)
        task.add_done_callback(self._ending.discard)

    async def _end_read(self, conn: Connection) -> None:
        ended = False
        try:
            await conn.execute("COMMIT")
            ended = True
        except DatabaseError:
            log.warning("a read's transaction could not be ended; its connection is closed",
                        exc_info=True)
        finally:
            self.release_reader(conn, reusable=ended)

    async def _close_readers(self) -> None:
        if self._ending:  # reads still ending: their readers are closed below
            await asyncio.gather(*self._ending, return_exceptions=True)
        readers, self._open_readers, self._idle = self._open_readers, [], []
        for reader in readers:
            await self._close_reader(reader)

    async def _connect_reader(self) -> Connection:
        raise NotImplementedError

    def _reader_usable(self, conn: Connection) -> bool:
        """Whether a reader whose transaction ended can run another (its session lives)."""
        return True

    async def _close_reader(self, conn: Connection) -> None:
        raise NotImplementedError

    async def begin(self, conn: Connection, mode: Mode) -> dict[str, int]:
        """Begins a transaction of `mode` on `conn` and reads the versions of the cached
        tables in it (see cache_versions.py): {group: version}."""
        raise NotImplementedError

    async def commit_recording(self, conn: Connection, update_id: int, at: datetime) -> bool:
        """Records a Telegram update as handled in the writer's transaction and commits it
        (see handled_updates.py); False, committing nothing, when it was handled before."""
        if not await SettingsRepo(conn).mark_update_processed(update_id, at):
            return False
        await conn.execute(self.commit_statement)
        return True

    async def begin_with(self, conn: Connection, mode: Mode, sql: str, params: Params
                         ) -> tuple[dict[str, int], list[Any]]:
        """As `begin`, then a first read in the transaction: (versions, its rows)."""
        versions = await self.begin(conn, mode)
        return versions, await conn.execute_fetchall(sql, params)


def available_migrations(package: str = MIGRATIONS_PACKAGE) -> list[tuple[int, str]]:
    """(version, sql) for every `NNN_name.sql` in a migrations package, sorted."""
    found = []
    for entry in resources.files(package).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found
