"""SQLite repositories: each takes the unit of work's connection and never commits.

Reads use `execute_fetchall`: one round trip to aiosqlite's thread, where a cursor's
execute, fetch and close are three (each round trip is a thread hand-off).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import aiosqlite


async def fetch_one(conn: aiosqlite.Connection, sql: str, args: tuple[Any, ...] = ()) -> Any:
    """The first row, or None."""
    return next(iter(await conn.execute_fetchall(sql, args)), None)


class RowCache:
    """Rows of a rarely written table, kept for all units of work of one database (one
    process owns it; units of work run one at a time, so the rows are committed ones as
    long as no unit of work writes the table). A repository that writes clears them, and
    from then on, until its unit of work ends, reads through rows of its own: those may be
    uncommitted and must not outlive a rollback."""

    def __init__(self, shared: dict[Any, Any] | None = None) -> None:
        self._shared: dict[Any, Any] = {} if shared is None else shared
        self._own: dict[Any, Any] | None = None

    async def get(self, key: Any, load: Callable[[], Awaitable[Any]]) -> Any:
        rows = self._shared if self._own is None else self._own
        if key not in rows:
            rows[key] = await load()
        return rows[key]

    def writing(self) -> None:
        self._shared.clear()
        self._own = {}
