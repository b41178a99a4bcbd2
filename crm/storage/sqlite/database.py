"""One SQLite database file (the embedded default): connection set-up, migrations, the
writer and its readers.

aiosqlite runs each connection in its own thread; two units of work must never share a
transaction. Units of work that write go through one connection serialised by an asyncio
lock (SQLite allows a single writer anyway, and this keeps transactions short and ordered).
Units of work that only read take a connection of a small pool instead, each its own: WAL
lets them read beside the writer and beside each other, each in the snapshot of the last
commit before its first read. An in-memory database (one connection's own) has no readers:
its reads take the writer's lock.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import aiosqlite

from crm.errors import SchemaTooNew, StorageUnavailable
from crm.storage.base_database import READERS, Database, Mode, available_migrations
from crm.storage.cache_versions import CacheVersions
from crm.storage.connection import Connection
from crm.storage.dialect import SQLITE, Dialect
from crm.storage.sqlite.connection import SqliteConnection

BUSY_MS = 5000  # how long a statement waits for another connection's lock
MIGRATION_BUSY_MS = 300_000  # a process starting beside one that migrates waits it out
_BEGIN = {"write": "BEGIN IMMEDIATE", "read": "BEGIN", None: None}


class SqliteDatabase(Database):
    def __init__(self, path: str | Path, readers: int = READERS) -> None:
        super().__init__(path, readers)
        self.path = Path(path)
        self._conn: SqliteConnection | None = None
        self._readers = 0 if str(path) == ":memory:" else readers
        self._versions: dict[aiosqlite.Connection, CacheVersions] = {}  # per connection

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def dialect(self) -> Dialect:
        return SQLITE

    @property
    def has_readers(self) -> bool:
        return self._readers > 0

    @property
    def conn(self) -> SqliteConnection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        self._forget_caches()
        if str(self.path) != ":memory:":
            # Tried first without aiosqlite: its worker thread outlives a failed connect
            # and, once the event loop is gone, dies with a traceback of its own.
            await asyncio.to_thread(probe, self.path)
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StorageUnavailable(path=str(self.path), detail=_reason(exc)) from exc
        conn.row_factory = aiosqlite.Row
        try:
            # The busy timeout first: processes starting at once on a new file wait for each
            # other's switch to WAL and migrations (minutes, if need be) instead of failing.
            await conn.execute(f"PRAGMA busy_timeout={MIGRATION_BUSY_MS}")
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            # A commit is on disk before it returns, as PostgreSQL's is (synchronous_commit
            # on): NORMAL would lose the last transactions with the power — a move the
            # salesperson saw done, a message marked sent and then sent again. It costs an
            # fsync per writing transaction (about a millisecond on an SSD).
            await conn.execute("PRAGMA synchronous=FULL")
            await self._read_versions_on(conn)
            self._conn = SqliteConnection(conn)
            await self.migrate()
            await conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        except BaseException as exc:
            await conn.close()
            self._conn = None
            self._versions.pop(conn, None)
            if isinstance(exc, sqlite3.Error):
                raise StorageUnavailable(path=str(self.path), detail=str(exc)) from exc
            raise

    async def _connect_reader(self) -> SqliteConnection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA query_only=ON")  # a write here is a bug: refused
            await conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
            await self._read_versions_on(conn)
        except BaseException:
            self._versions.pop(conn, None)
            await conn.close()
            raise
        return SqliteConnection(conn)

    async def _close_reader(self, conn: Connection) -> None:
        assert isinstance(conn, SqliteConnection)
        self._versions.pop(conn.raw, None)
        await conn.raw.close()

    async def _read_versions_on(self, conn: aiosqlite.Connection) -> None:
        versions = self._versions[conn] = CacheVersions()
        await versions.register(conn)

    async def begin(self, conn: Connection, mode: Mode) -> dict[str, int]:
        """Begins a transaction of `mode` (None: no transaction) on a connection of this
        database and reads the cached tables' versions after it, in one trip."""
        assert isinstance(conn, SqliteConnection)
        return await self._versions[conn.raw].begin(conn.raw, _BEGIN[mode])

    async def close(self) -> None:
        await self._close_readers()
        if self._conn is not None:
            await self._conn.raw.close()
            self._conn = None
        self._versions.clear()

    async def migrate(self) -> list[int]:
        """Applies every migration file newer than the database's user_version, in order,
        each in a transaction of its own (a failing one leaves the database at the previous
        version). Several processes may start at once: each takes the write lock first and
        reads user_version inside it, so each migration is applied by one of them, once.
        Raises SchemaTooNew for a database newer than every migration this code knows."""
        migrations = available_migrations()
        newest = migrations[-1][0] if migrations else 0
        applied: list[int] = []
        while (version := await self._apply_next(migrations, newest)) is not None:
            applied.append(version)
        return applied

    async def _apply_next(self, migrations: list[tuple[int, str]], newest: int) -> int | None:
        """Applies the first migration the database lacks; its number, None when up to date."""
        conn = self.conn.raw
        await conn.execute("BEGIN IMMEDIATE")
        try:
            current = int(next(iter(await conn.execute_fetchall("PRAGMA user_version")))[0])
            if current > newest:
                raise SchemaTooNew(str(self.path), current, newest)
            pending = next(((v, sql) for v, sql in migrations if v > current), None)
            if pending is None:
                await conn.execute("ROLLBACK")
                return None
            version, sql = pending
            # One statement at a time: executescript would commit the open transaction
            # first, giving up the lock user_version was read under.
            for statement in statements(sql):
                await conn.execute(statement)
            await conn.execute(f"PRAGMA user_version = {version}")
            await conn.execute("COMMIT")
            return version
        except BaseException:
            if conn.in_transaction:
                await conn.execute("ROLLBACK")
            raise


def _reason(exc: OSError | sqlite3.Error) -> str:
    if isinstance(exc, FileExistsError | NotADirectoryError):
        return f"{exc.filename} is not a folder"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc)


def probe(path: Path) -> None:
    """Creates the folder and checks that an SQLite database can be opened there (blocking:
    for start-up, before anything else runs); raises StorageUnavailable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path)
        try:
            connection.execute("PRAGMA schema_version")  # reads the file: is it a database?
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as exc:
        raise StorageUnavailable(path=str(path), detail=_reason(exc)) from exc


def statements(script: str) -> list[str]:
    """The statements of an SQL script in order (a trigger's body, a ';' in a string or a
    comment stays inside its statement)."""
    found: list[str] = []
    pending = ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\r\n;"):
                found.append(pending)
            pending = ""
    if pending.strip(" \t\r\n;"):  # the rest, when it is not SQL's end (a comment)
        found.append(pending)
    return found
