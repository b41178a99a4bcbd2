"""Reading query plans in tests: which growing tables a statement reads from end to end,
and every statement a piece of code runs. Used by the plan tests of each feature."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

GROWING = {"items", "contacts", "companies", "stage_history", "rule_runs", "outbox",
           "activities", "processed_updates", "timeline", "documents", "products",
           "lead_conversions", "client_buttons", "item_copies", "client_files"}
_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", re.I)
_NOT_ALIAS = {"WHERE", "ON", "LEFT", "JOIN", "CROSS", "INNER", "ORDER", "GROUP", "LIMIT",
              "SET", "VALUES", "USING", "UNION", "AS", "SELECT"}
SKIP = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|--)", re.I)

Recorded = list[tuple[str, tuple[Any, ...]]]


def scans(conn: sqlite3.Connection, sql: str, args: tuple[Any, ...] = (),
          paged: bool = False) -> list[str]:
    """The growing tables `sql` reads from end to end, with the plan's line for each.
    `paged`: a page of a list that grows (list, search, conversion batch) must also come in
    index order; a sort of all rows read is what makes a page cost more as the list grows.
    (Elsewhere a sort is of one item's rows or of the rows due now: it does not grow with
    the tables.)"""
    tables: dict[str, str] = {}
    for table, alias in _TABLE.findall(sql):
        tables[table] = table
        if alias and alias.upper() not in _NOT_ALIAS:
            tables[alias] = table
    found = []
    for _id, parent, _unused, detail in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args):
        words = str(detail).split()
        if len(words) >= 2 and words[0] == "SCAN" and tables.get(words[1], words[1]) in GROWING:
            found.append(detail)
        elif paged and detail == "USE TEMP B-TREE FOR ORDER BY" and parent == 0:
            found.append(f"{detail} (sorts every row it reads)")
    return found


@asynccontextmanager
async def recording(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Recorded]:
    """Every statement any connection runs meanwhile, with its first set of arguments."""
    statements: Recorded = []
    original_execute = aiosqlite.Connection.execute
    original_fetchall = aiosqlite.Connection.execute_fetchall
    original_many = aiosqlite.Connection.executemany

    def execute(self: aiosqlite.Connection, sql: str, parameters: Any = None) -> Any:
        statements.append((sql, tuple(parameters or ())))
        return original_execute(self, sql, parameters)

    async def execute_fetchall(self: aiosqlite.Connection, sql: str,
                               parameters: Any = None) -> Any:
        statements.append((sql, tuple(parameters or ())))
        return await original_fetchall(self, sql, parameters)

    async def executemany(self: aiosqlite.Connection, sql: str, parameters: Any) -> Any:
        rows = list(parameters)
        if rows:
            statements.append((sql, tuple(rows[0])))
        return await original_many(self, sql, rows)

    with monkeypatch.context() as patch:
        patch.setattr(aiosqlite.Connection, "execute", execute)
        patch.setattr(aiosqlite.Connection, "execute_fetchall", execute_fetchall)
        patch.setattr(aiosqlite.Connection, "executemany", executemany)
        yield statements


async def plan_offenders(path: str | Path, monkeypatch: pytest.MonkeyPatch,
                         paths: dict[str, Callable[[], Awaitable[object]]],
                         paged: Callable[[str], bool] = lambda name: False) -> list[str]:
    """Runs each named path, recording its statements, and lists every growing table one of
    them reads from end to end (see `scans`; `paged(name)`: the path reads a page)."""
    offenders = []
    conn = sqlite3.connect(path)
    try:
        for name, run in paths.items():
            async with recording(monkeypatch) as statements:
                await run()
            assert statements, name
            for sql, args in statements:
                if not SKIP.match(sql):
                    offenders += [f"{name}: {line}\n    {' '.join(sql.split())}"
                                  for line in scans(conn, sql, args, paged(name))]
    finally:
        conn.close()
    return offenders
