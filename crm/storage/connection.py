"""What a repository talks to: one connection of the unit of work, SQLite's or PostgreSQL's.

Repositories write one SQL set with `?` placeholders; each connection adapter runs it on its
database (the PostgreSQL one turns the placeholders into psycopg's) and hands back rows that
read by position and by column name alike. Where the two databases must differ, the SQL asks
the connection's `dialect` (see dialect.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

import psycopg

from crm.storage.dialect import Dialect

# What a failed statement raises, whichever database ran it.
DatabaseError: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error)

Params = Sequence[Any] | None


class Cursor(Protocol):
    """A statement's outcome: the rows it changed, and its rows to fetch (RETURNING)."""

    @property
    def rowcount(self) -> int: ...

    async def fetchone(self) -> Any: ...


class Connection(Protocol):
    @property
    def dialect(self) -> Dialect: ...

    @property
    def in_transaction(self) -> bool: ...

    async def execute(self, sql: str, params: Params = None, /) -> Cursor: ...

    async def execute_fetchall(self, sql: str, params: Params = None, /) -> list[Any]: ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Cursor: ...

    def together(self) -> AbstractContextManager[None]:
        """While open, the statements run side by side (asyncio.gather) may go to the
        database as one, in the order they were started: on PostgreSQL in one round trip
        (pipeline mode); on SQLite each is a call in this process anyway."""
        ...

    @property
    def collecting(self) -> bool:
        """Whether a statement started now goes in a pipeline being collected in this turn
        of the event loop (PostgreSQL, together()); never on SQLite."""
        ...
