"""The Connection a repository gets on SQLite: aiosqlite's, with the dialect beside it.

`raw` is aiosqlite's own connection, for what only the database class does with it
(PRAGMAs, functions, scripts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import aiosqlite

from crm.storage.connection import Cursor, Params
from crm.storage.dialect import SQLITE, Dialect


class SqliteConnection:
    def __init__(self, raw: aiosqlite.Connection) -> None:
        self.raw = raw

    @property
    def dialect(self) -> Dialect:
        return SQLITE

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    async def execute(self, sql: str, params: Params = None, /) -> Cursor:
        return await self.raw.execute(sql, params)

    async def execute_fetchall(self, sql: str, params: Params = None, /) -> list[Any]:
        return list(await self.raw.execute_fetchall(sql, params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]], /) -> Cursor:
        return await self.raw.executemany(sql, rows)

    def together(self) -> AbstractContextManager[None]:
        return nullcontext()  # each read is a call in this process: nothing to gain

    @property
    def collecting(self) -> bool:
        return False
