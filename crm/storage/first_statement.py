"""A read's connection as its repositories see it: its transaction begins with its first
statement (see unit_of_work.py), on PostgreSQL in one round trip with it when it is a read."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, TypeVar

from crm.storage.connection import Connection, Cursor, DatabaseError, Params
from crm.storage.dialect import Dialect

T = TypeVar("T")


class BeginsOnFirstStatement:
    """A read's connection as its repositories see it: `begin` runs before the first
    statement (see the module's docstring)."""

    def __init__(self, conn: Connection,
                 begin: Callable[[tuple[str, Params] | None], Awaitable[list[Any]]]) -> None:
        self._conn = conn
        # Sends the BEGIN, with a first read if given (its rows); None once it went through.
        self._begin: Callable[[tuple[str, Params] | None], Awaitable[list[Any]]] | None = begin
        self._beginning = asyncio.Lock()

    @property
    def connection(self) -> Connection:
        """The database's connection underneath."""
        return self._conn

    @property
    def dialect(self) -> Dialect:
        return self._conn.dialect

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    async def begun(self) -> None:
        """Once the BEGIN went (sent now if nobody has sent it yet)."""
        await self._begun()

    async def _begun(self, first: tuple[str, Params] | None = None) -> list[Any] | None:
        """Sends the BEGIN if it has not gone yet, with `first` if given: then its rows."""
        if self._begin is not None:
            async with self._beginning:  # reads run together: one of them sends the BEGIN
                if self._begin is not None:
                    rows = await self._begin(first)
                    self._begin = None  # (not before: after a failed one, the next tries)
                    return rows if first is not None else None
        return None

    async def _joins_begin(self) -> bool:
        """Whether this statement goes in the pipeline of the BEGIN that another statement
        started beside it is sending (PostgreSQL): the BEGIN's pipeline is collected in
        the next turn of the event loop, when the statements after it are queued there
        (asyncio runs callbacks in the order scheduled). If not, it waits for the BEGIN."""
        if not self._beginning.locked():
            return False
        await asyncio.sleep(0)
        return self._begin is not None and self._conn.collecting

    async def _joined(self, run: Callable[[], Awaitable[T]]) -> T:
        """Runs a statement in the BEGIN's pipeline. If that failed (the server had ended
        the session: the BEGIN is sent again on a new one), it runs again once the BEGIN
        went through — a read, so nothing ran twice that matters."""
        try:
            return await run()
        except DatabaseError:
            await self._begun()  # raises if the BEGIN failed for good
            return await run()

    async def execute(self, sql: str, params: Params = None, /) -> Cursor:
        if await self._joins_begin():
            return await self._joined(partial(self._conn.execute, sql, params))
        await self._begun()
        return await self._conn.execute(sql, params)

    async def execute_fetchall(self, sql: str, params: Params = None, /) -> list[Any]:
        if self._begin is not None:
            if await self._joins_begin():
                return await self._joined(partial(self._conn.execute_fetchall, sql, params))
            rows = await self._begun((sql, params))
            if rows is not None:
                return rows
        return await self._conn.execute_fetchall(sql, params)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Cursor:
        await self._begun()
        return await self._conn.executemany(sql, rows)

    def together(self) -> AbstractContextManager[None]:
        return self._conn.together()

    @property
    def collecting(self) -> bool:
        return self._conn.collecting
