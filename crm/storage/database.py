"""One SQLite database file: connection set-up, migrations, and the writer lock.

aiosqlite runs each connection in its own thread; two units of work must never share a
transaction, so all of them go through one connection serialised by an asyncio lock.
SQLite allows a single writer anyway, and this keeps transactions short and ordered.
"""

from __future__ import annotations

import asyncio
import sqlite3
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from crm.errors import StorageUnavailable

MIGRATIONS_PACKAGE = "crm.storage.migrations"


class Database:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock = asyncio.Lock()
        self.lock_owner: asyncio.Task[Any] | None = None  # the task whose unit of work holds it
        self.catalog_cache: dict[tuple[Any, ...], Any] = {}  # see CatalogRepo
        self.staff_cache: dict[int, Any] = {}  # see StaffRepo
        self._conn: aiosqlite.Connection | None = None

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        self.catalog_cache.clear()
        self.staff_cache.clear()
        if str(self.path) != ":memory:":
            # Tried first without aiosqlite: its worker thread outlives a failed connect
            # and, once the event loop is gone, dies with a traceback of its own.
            await asyncio.to_thread(probe, self.path)
        try:
            conn = await aiosqlite.connect(self.path, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise StorageUnavailable(path=str(self.path), reason=_reason(exc)) from exc
        conn.row_factory = aiosqlite.Row
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            self._conn = conn
            await self.migrate()
        except sqlite3.Error as exc:
            await conn.close()
            self._conn = None
            raise StorageUnavailable(path=str(self.path), reason=str(exc)) from exc

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def migrate(self) -> list[int]:
        """Apply every migration file newer than the database's user_version, in order."""
        conn = self.conn
        async with conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        current = int(row[0]) if row else 0
        applied: list[int] = []
        for version, sql in available_migrations():
            if version <= current:
                continue
            # executescript commits any open transaction first; wrap it so a failing
            # migration leaves the database at the previous version.
            await conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {version};\nCOMMIT;"
            )
            applied.append(version)
        return applied


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
        raise StorageUnavailable(path=str(path), reason=_reason(exc)) from exc


def available_migrations() -> list[tuple[int, str]]:
    """(version, sql) for every `NNN_name.sql` in the migrations package, sorted."""
    found = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found
