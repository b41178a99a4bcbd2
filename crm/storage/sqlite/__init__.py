"""SQLite repositories: each takes the unit of work's connection and never commits.

Reads use `execute_fetchall`: one round trip to aiosqlite's thread, where a cursor's
execute, fetch and close are three (each round trip is a thread hand-off).
"""

from __future__ import annotations

from typing import Any

import aiosqlite


async def fetch_one(conn: aiosqlite.Connection, sql: str, args: tuple[Any, ...] = ()) -> Any:
    """The first row, or None."""
    return next(iter(await conn.execute_fetchall(sql, args)), None)
