"""The Connection a repository gets on PostgreSQL: psycopg's async connection, speaking the
SQL the repositories write for SQLite as well.

- `?` placeholders become psycopg's (placeholders.py); parameters are bound on the server
  and every statement with parameters is prepared on its first run (prepare_threshold=0):
  a unit of work's statements repeat all day, and parsing and planning each again cost as
  much as running it. (A bare `? IS NULL` has no type then: the SQL says CAST(? AS TEXT).)
  A statement without parameters may be a script of several and is not prepared. Nor is a
  search (a statement on a search table): its best plan depends on how common its words
  are, which a prepared statement's generic plan cannot know (a word found nowhere read
  every row of the table, 60 ms at 100,000 items); planned for its values, it reads the
  index for a rare word and the newest rows for a common one.
- Rows and values come back as SQLite gives them (rows.py).
- The connection runs in autocommit mode: units of work send BEGIN, COMMIT and ROLLBACK
  themselves, on both databases alike.
- Inside `together()`, the statements asyncio.gather starts side by side go to the server
  in one pipeline, in order: one round trip for all (a card's contact, activities,
  copies…; a move's update and its history row).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import AsyncConnection
from psycopg.pq import TransactionStatus

from crm.storage.connection import Cursor, Params
from crm.storage.dialect import POSTGRESQL, Dialect
from crm.storage.postgres.placeholders import to_psycopg
from crm.storage.postgres.rows import BoolAsInteger, Row, WholeNumbersAsInt, has_rows, rows


class _Result:
    def __init__(self, cursor: psycopg.AsyncCursor[Row]) -> None:
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    async def fetchone(self) -> Any:
        if not has_rows(self._cursor):
            return None
        return await self._cursor.fetchone()


_SEARCH_TABLE = re.compile(r"\b(item|contact|company)_search\b")


@lru_cache(maxsize=4096)  # a few hundred constant strings, and searches of up to 8 words
def _prepared(sql: str) -> bool:
    return _SEARCH_TABLE.search(sql) is None


async def _run(cursor: psycopg.AsyncCursor[Row], sql: str, params: Params) -> None:
    if params:
        await cursor.execute(to_psycopg(sql), params, prepare=None if _prepared(sql) else False)
    else:  # may be a script of several statements, which cannot be prepared
        await cursor.execute(sql, prepare=False)


def _fail(queued: list[tuple[str, Params, asyncio.Future[_Outcome]]] | None,
          exc: BaseException) -> None:
    """What stopped the statement sending them stops the statements queued for it."""
    for *_, waiting in queued or ():
        if waiting.done():
            continue
        if isinstance(exc, asyncio.CancelledError):
            waiting.cancel()
        else:
            waiting.set_exception(exc)


@dataclass(slots=True)
class _Outcome:
    """A statement's outcome, fetched whole: its rows, and how many rows it changed."""

    rows: list[Any]
    rowcount: int

    async def fetchone(self) -> Any:
        return self.rows[0] if self.rows else None


async def _fetched(cursor: psycopg.AsyncCursor[Row]) -> _Outcome:
    rows = await cursor.fetchall() if has_rows(cursor) else []
    return _Outcome(rows, cursor.rowcount)


async def _outcome(cursor: psycopg.AsyncCursor[Row], sql: str, params: Params) -> _Outcome:
    await _run(cursor, sql, params)
    return await _fetched(cursor)


async def _open(url: str, settings: dict[str, str]) -> AsyncConnection[Row]:
    options = " ".join(f"-c {name}={value}" for name, value in settings.items())
    raw = await AsyncConnection.connect(
        url, autocommit=True, row_factory=rows, prepare_threshold=0,
        options=options or None)
    raw.adapters.register_dumper(bool, BoolAsInteger)
    raw.adapters.register_loader("numeric", WholeNumbersAsInt)
    return raw


class PostgresConnection:
    @staticmethod
    async def connect(url: str, **settings: str) -> PostgresConnection:
        """A connection in autocommit mode; `settings` are session settings (application
        name, timeouts)."""
        return PostgresConnection(await _open(url, settings), url, settings)

    def __init__(self, raw: AsyncConnection[Row], url: str, settings: dict[str, str]) -> None:
        self.raw = raw
        self._url = url
        self._settings = settings
        self._together = 0  # open together() blocks
        self._sending = asyncio.Lock()  # held by the statement sending its pipeline
        # Statements queued in this turn of the loop for the one that sends them (together)
        self._queued: list[tuple[str, Params, asyncio.Future[_Outcome]]] | None = None
        # A read's COMMIT not sent yet: it goes first with the next statements (owe_commit)
        self._owed_commit = False

    @property
    def lost(self) -> bool:
        """Whether the server ended the session (a restart, a timeout, a terminated
        backend): nothing more can run on it."""
        return self.raw.closed or self.raw.broken

    async def reconnect(self) -> None:
        """A new session in place of a lost one (the same object, for whoever holds it)."""
        self._owed_commit = False  # the lost session's transaction ended with it
        with suppress(psycopg.Error):
            await self.raw.close()
        self.raw = await _open(self._url, self._settings)

    def owe_commit(self) -> None:
        """The read transaction open on this connection is done: its COMMIT goes first in
        the next round trip to the server, with whatever is sent next (a read's answer
        does not wait for it, nor pays a round trip of its own), or by pay_commit."""
        self._owed_commit = True

    def take_owed_commit(self) -> bool:
        """Whether a COMMIT is owed; the caller sends it from now on (first in a script)."""
        owed, self._owed_commit = self._owed_commit, False
        return owed

    async def pay_commit(self) -> None:
        """Sends the COMMIT owed, if it still is (the connection's lock keeps it before
        any statement started after this)."""
        if self.take_owed_commit():
            await self.raw.execute("COMMIT")

    @property
    def dialect(self) -> Dialect:
        return POSTGRESQL

    @property
    def in_transaction(self) -> bool:
        """In a transaction of its unit of work (an ended read's, COMMIT owed, is none)."""
        return (self.raw.info.transaction_status != TransactionStatus.IDLE
                and not self._owed_commit)

    async def execute(self, sql: str, params: Params = None, /) -> Cursor:
        if self._together or (self._owed_commit and params):
            return await self._send_together(sql, params)
        await self.pay_commit()  # (a statement without parameters may be a script)
        cursor = self.raw.cursor()
        await _run(cursor, sql, params)
        return _Result(cursor)

    async def execute_fetchall(self, sql: str, params: Params = None, /) -> list[Any]:
        if self._together or (self._owed_commit and params):
            return (await self._send_together(sql, params)).rows
        await self.pay_commit()
        return (await _outcome(self.raw.cursor(), sql, params)).rows

    async def send_together(self, statements: Sequence[tuple[str, Params]]
                            ) -> list[_Outcome]:
        """Runs the statements in order in one pipeline: one round trip; their outcomes.
        The first that fails raises, and the server skips those after it. A COMMIT owed
        (owe_commit) goes first."""
        owed = self.take_owed_commit()
        async with self.raw.pipeline():
            cursors = []
            for sql, params in [("COMMIT", None)] * owed + list(statements):
                cursors.append(self.raw.cursor())
                await _run(cursors[-1], sql, params)
        return [await _fetched(cursor) for cursor in cursors[owed:]]

    @property
    def collecting(self) -> bool:
        return self._together > 0 and self._queued is not None

    @contextmanager
    def together(self) -> Iterator[None]:
        self._together += 1
        try:
            yield
        finally:
            self._together -= 1

    async def _send_together(self, sql: str, params: Params) -> _Outcome:
        """The first statement of a turn of the event loop lets those started beside it
        (asyncio.gather runs each up to its statement in this turn) queue theirs, then
        sends them all after its own, in order, in one pipeline: one round trip."""
        if self._queued is not None:  # another statement of this turn sends it with its own
            queued: asyncio.Future[_Outcome] = asyncio.get_running_loop().create_future()
            self._queued.append((sql, params, queued))
            return await queued
        self._queued = []
        try:
            await asyncio.sleep(0)
        except BaseException as exc:
            _fail(self._queued, exc)
            raise
        finally:
            waiting, self._queued = self._queued, None
        try:
            # One pipeline at a time: the statements started while one is out (a read
            # after another one's rows) queue for the next.
            async with self._sending:
                if not waiting and not self._owed_commit:
                    return await _outcome(self.raw.cursor(), sql, params)
                outcomes = await self.send_together(
                    [(sql, params), *((each[0], each[1]) for each in waiting)])
        except BaseException as exc:  # the transaction failed for all of them alike
            _fail(waiting, exc)
            raise
        for (*_, future), outcome in zip(waiting, outcomes[1:], strict=True):
            if not future.done():
                future.set_result(outcome)
        return outcomes[0]

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Cursor:
        await self.pay_commit()
        cursor = self.raw.cursor()
        await cursor.executemany(to_psycopg(sql), list(rows))
        return _Result(cursor)

    async def close(self) -> None:
        await self.raw.close()
