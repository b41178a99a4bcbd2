"""The repositories, one SQL set for SQLite and PostgreSQL (the few differences in
crm/storage/dialect.py): each takes the unit of work's connection and never commits.

Reads use `execute_fetchall`: one trip to the connection (aiosqlite's thread, or the
PostgreSQL server), where a cursor's execute, fetch and close are three on SQLite.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from crm.storage.connection import Connection


async def fetch_one(conn: Connection, sql: str, args: tuple[Any, ...] = ()) -> Any:
    """The first row, or None."""
    return next(iter(await conn.execute_fetchall(sql, args)), None)


async def insert_id(conn: Connection, sql: str, args: tuple[Any, ...] = ()) -> int:
    """Runs an `INSERT … RETURNING id` (as SQLite and PostgreSQL both write it); the new
    row's id, 0 when `ON CONFLICT DO NOTHING` kept the row out."""
    row = await fetch_one(conn, sql, args)
    return int(row[0]) if row else 0


class SharedRows:
    """Committed rows of rarely written tables, shared by the units of work of one database.
    `generation` counts the writes that made them stale (see RowCache); `version` is the
    tables' version in the database (migration 024) that the rows were read at, -1 before
    a unit of work has read it."""

    def __init__(self) -> None:
        self.rows: dict[Any, Any] = {}
        self.generation = 0
        self.version = -1

    def invalidate(self) -> None:
        self.rows.clear()
        self.generation += 1

    def forget(self) -> None:
        """The database was (re)opened: nothing is known about it."""
        self.invalidate()
        self.version = -1

    def at(self, version: int) -> SharedRows | None:
        """These rows, for a unit of work whose transaction reads the tables at `version`
        (read first thing in it): dropped first when the tables changed since the rows were
        read (in another process, too). None when its snapshot is older than the rows: it
        reads through rows of its own."""
        if version > self.version:
            self.invalidate()
            self.version = version
        return self if version == self.version else None


class RowCache:
    """A unit of work's view of SharedRows. Read units of work run beside the writer, each in
    its own snapshot: a unit of work uses (and fills) the shared rows only while no write to
    their tables happened since it began; after one it reads through rows of its own, which
    its snapshot may hold but the shared rows must not. A repository that writes invalidates
    the shared rows, again when its unit of work commits (readers may have refilled them
    from the old state in between), and until its unit of work ends reads through rows of
    its own: those may be uncommitted and must not outlive a rollback."""

    def __init__(self, shared: SharedRows | None = None,
                 version: Callable[[], Awaitable[int]] | None = None) -> None:
        """`version`: for a unit of work that reads the tables' version only when its rows
        are first asked for (a read; see unit_of_work.py): `shared` is then the database's
        rows, and this view of them is `shared.at(version)`, decided on first use."""
        self._database_rows = shared
        self._version = version
        self._use(None if version is not None else shared)
        self._own: dict[Any, Any] | None = None
        self._wrote = False

    def _use(self, shared: SharedRows | None) -> None:
        self._shared = SharedRows() if shared is None else shared
        self._generation = self._shared.generation

    def _rows(self) -> dict[Any, Any]:
        if self._own is None and self._shared.generation == self._generation:
            return self._shared.rows
        if self._own is None:
            self._own = {}
        return self._own

    async def get(self, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
        if self._version is not None:
            version, self._version = self._version, None
            self._use(self._database_rows.at(await version()) if self._database_rows else None)
        rows = self._rows()
        if key not in rows:
            value = await load()
            self._rows()[key] = value  # a write may have come in while loading
            return value
        return rows[key]

    def writing(self) -> None:
        if self._version is not None:  # not looked at yet: its rows are the database's
            self._version = None
            self._use(self._database_rows)
        self._shared.invalidate()
        self._own = {}
        self._wrote = True
        self._generation = self._shared.generation

    def committed(self) -> None:
        if self._wrote:
            self._shared.invalidate()
            self._generation = self._shared.generation
            self._wrote = False
