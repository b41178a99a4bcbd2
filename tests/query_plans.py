"""Reading query plans in tests: which growing tables a statement reads from end to end,
and every statement a piece of code runs. Used by the plan tests of each feature, on
SQLite (EXPLAIN QUERY PLAN) and on PostgreSQL (EXPLAIN (FORMAT JSON)) alike."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest

from crm.storage.base_database import is_postgresql
from crm.storage.postgres.connection import PostgresConnection
from crm.storage.postgres.placeholders import to_psycopg
from crm.storage.sqlite.connection import SqliteConnection

GROWING = {"items", "contacts", "companies", "stage_history", "rule_runs", "outbox",
           "activities", "processed_updates", "timeline", "documents", "products",
           "lead_conversions", "client_buttons", "item_copies", "client_files"}
_TABLE = re.compile(r"\b(?:FROM|JOIN|UPDATE|INTO)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", re.I)
_NOT_ALIAS = {"WHERE", "ON", "LEFT", "JOIN", "CROSS", "INNER", "ORDER", "GROUP", "LIMIT",
              "SET", "VALUES", "USING", "UNION", "AS", "SELECT"}
# Statements that read no table: transaction control, settings, wake-ups, the writer's lock.
SKIP = re.compile(r"\s*(?:(?:BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|PRAGMA|SET|NOTIFY|LISTEN"
                  r"|UNLISTEN)\b|--|SELECT\s+pg_advisory)", re.I)
# PostgreSQL nodes that hand their input's rows on in the input's order: a Sort below them
# is the sort of the statement's own ORDER BY (SQLite: a temp b-tree at parent 0).
_IN_ORDER = {"Limit", "Result", "Unique", "LockRows", "ProjectSet", "Gather Merge"}
_SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan"}

Recorded = list[tuple[str, tuple[Any, ...]]]
PlanConnection = sqlite3.Connection | psycopg.Connection[Any]


@contextmanager
def plan_connection(location: str | Path) -> Iterator[PlanConnection]:
    """A connection of its own to the database at `location`, to read plans on."""
    conn: PlanConnection
    if is_postgresql(location):
        conn = psycopg.connect(str(location), autocommit=True)
    else:
        conn = sqlite3.connect(location)
    try:
        yield conn
    finally:
        conn.close()


def scans(conn: PlanConnection, sql: str, args: tuple[Any, ...] = (),
          paged: bool = False) -> list[str]:
    """The growing tables `sql` reads from end to end, with the plan's line for each.
    `paged`: a page of a list that grows (list, search, conversion batch) must also come in
    index order; a sort of all rows read is what makes a page cost more as the list grows.
    (Elsewhere a sort is of one item's rows or of the rows due now: it does not grow with
    the tables.)"""
    if isinstance(conn, psycopg.Connection):
        return _postgres_scans(conn, sql, args, paged)
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


def plan_lines(conn: PlanConnection, sql: str, args: tuple[Any, ...] = ()) -> list[str]:
    """The plan as lines to read (SQLite's details; PostgreSQL's nodes, as EXPLAIN writes
    them: 'Index Only Scan using items_open_by on items')."""
    if isinstance(conn, psycopg.Connection):
        return [_line(node) for node in _nodes(postgres_plan(conn, sql, args))]
    return [str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)]


def postgres_plan(conn: psycopg.Connection[Any], sql: str, args: tuple[Any, ...] = (),
                  sorts: bool = True) -> dict[str, Any]:
    """PostgreSQL's plan of `sql` with `args` bound, as the bot's connection binds them.

    Sequential scans, hash joins and merge joins are off: the test's tables are tiny, and
    on a tiny table reading all of it is cheapest. With them off PostgreSQL plans as SQLite
    does (nested loops, each table read through an index where one can serve): a Seq Scan
    that remains means no index can serve the query. `sorts=False`: sorts are off as well,
    for the same reason — a sort of a few rows is cheaper than reading an index in order, so
    a Sort that remains means no index gives the order. In a transaction rolled back, so
    the settings and an EXPLAINed write's locks end with it."""
    values = tuple(int(a) if isinstance(a, bool) else a for a in args)  # flags are 0/1
    settings = ["enable_seqscan", "enable_hashjoin", "enable_mergejoin"]
    with conn.transaction(force_rollback=True):
        for setting in settings + ["enable_sort"] * (not sorts):
            conn.execute(f"SET LOCAL {setting} = off")
        cursor = psycopg.ClientCursor(conn)
        cursor.execute(f"EXPLAIN (FORMAT JSON) {to_psycopg(sql) if values else sql}",
                       values or None)
        row = cursor.fetchone()
    assert row is not None
    plan: dict[str, Any] = row[0][0]["Plan"]
    return plan


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every node of the plan (subqueries' too)."""
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def _line(node: dict[str, Any]) -> str:
    line = str(node["Node Type"])
    if "Index Name" in node:
        line += f" using {node['Index Name']}"
    if "Relation Name" in node:
        line += f" on {node['Relation Name']}"
        if node.get("Alias", node["Relation Name"]) != node["Relation Name"]:
            line += f" {node['Alias']}"
    return line


def _postgres_scans(conn: psycopg.Connection[Any], sql: str, args: tuple[Any, ...],
                    paged: bool) -> list[str]:
    """A growing table read from end to end (see _full_reads); `paged`: also a sort of the
    page's order over all rows read of a growing table (see _page_sorts) — unless, with sorts
    off, an index gives that order without a full read: the planner sorts a tiny table's
    rows rather than read an index in order, and would not on a large one."""
    plan = postgres_plan(conn, sql, args)
    found = _full_reads(plan)
    if paged and any(_page_sorts(plan)):
        ordered = postgres_plan(conn, sql, args, sorts=False)
        found += [line for line in _full_reads(ordered) if line not in found]
        found += [f"Sort by {', '.join(sort.get('Sort Key', []))} (sorts every row it reads)"
                  for sort in _page_sorts(ordered)]
    return found


def _full_reads(plan: dict[str, Any]) -> list[str]:
    """A Seq Scan of a growing table (no index could serve), or an index scan of one with no
    index condition (the whole index in its order: SQLite's 'SCAN t USING INDEX'). Bitmap
    scans always have one (trigram searches read so)."""
    return [_line(node) + ("" if node["Node Type"] == "Seq Scan" else " with no condition")
            for node in _nodes(plan)
            if node["Node Type"] in _SCANS and node.get("Relation Name") in GROWING and (
                node["Node Type"] == "Seq Scan" or not (
                    "Index Cond" in node or "Recheck Cond" in node))]


def _page_sorts(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The sorts of a page's order (SQLite: 'USE TEMP B-TREE FOR ORDER BY' at parent 0) that
    sort rows of a growing table read without a bound. A page's order is sorted by a Sort
    reached from the top through nodes that hand rows on in order (Limit, Result, ...) and
    through the parts of a UNION ALL (each part's own page). Not counted: a sort feeding a
    grouping or a join (not the page's order); an Incremental Sort (only runs of rows an
    index gave in order: SQLite's 'TEMP B-TREE FOR RIGHT PART OF ORDER BY'); a sort of rows
    that a LIMIT below it bounds (the parts' pages merged) or that were read by their ids
    (`id IN (…)`: the page of search hits) — neither grows with the table."""
    kind = node["Node Type"]
    if kind == "Sort" and _unbounded(node):
        yield node
    if kind in _IN_ORDER | {"Sort", "Append", "Merge Append", "Subquery Scan"}:
        for child in node.get("Plans", ()):
            if child.get("Parent Relationship") not in ("InitPlan", "SubPlan"):
                yield from _page_sorts(child)


def _unbounded(node: dict[str, Any]) -> bool:
    """Whether rows of a growing table reach `node` neither through a Limit nor by id."""
    for child in node.get("Plans", ()):
        if child["Node Type"] == "Limit" or child.get("Parent Relationship") in (
                "InitPlan", "SubPlan"):
            continue
        if child.get("Relation Name") in GROWING and not _by_id(child):
            return True
        if _unbounded(child):
            return True
    return False


def _by_id(scan: dict[str, Any]) -> bool:
    """A read of rows by their ids (the primary key, `id = …` or `id = ANY (…)`)."""
    if scan["Node Type"] == "Bitmap Heap Scan":
        return all(_by_id(index) for index in scan.get("Plans", ()))
    return str(scan.get("Index Name", "")).endswith("_pkey") and str(
        scan.get("Index Cond", "")).startswith("(id = ")


@asynccontextmanager
async def recording(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Recorded]:
    """Every statement any connection runs meanwhile (SQLite's or PostgreSQL's), with its
    first set of arguments."""
    statements: Recorded = []
    with monkeypatch.context() as patch:
        for kind in (SqliteConnection, PostgresConnection):
            _record(patch, kind, statements)
        yield statements


def _record(patch: pytest.MonkeyPatch, kind: type[Any], statements: Recorded) -> None:
    original_execute = kind.execute
    original_fetchall = kind.execute_fetchall
    original_many = kind.executemany

    async def execute(self: Any, sql: str, parameters: Any = None, /) -> Any:
        statements.append((sql, tuple(parameters or ())))
        return await original_execute(self, sql, parameters)

    async def execute_fetchall(self: Any, sql: str, parameters: Any = None, /) -> Any:
        statements.append((sql, tuple(parameters or ())))
        return await original_fetchall(self, sql, parameters)

    async def executemany(self: Any, sql: str, parameters: Any, /) -> Any:
        rows = list(parameters)
        if rows:
            statements.append((sql, tuple(rows[0])))
        return await original_many(self, sql, rows)

    patch.setattr(kind, "execute", execute)
    patch.setattr(kind, "execute_fetchall", execute_fetchall)
    patch.setattr(kind, "executemany", executemany)


async def plan_offenders(location: str | Path, monkeypatch: pytest.MonkeyPatch,
                         paths: dict[str, Callable[[], Awaitable[object]]],
                         paged: Callable[[str], bool] = lambda name: False) -> list[str]:
    """Runs each named path, recording its statements, and lists every growing table one of
    them reads from end to end (see `scans`; `paged(name)`: the path reads a page)."""
    offenders = []
    with plan_connection(location) as conn:
        for name, run in paths.items():
            async with recording(monkeypatch) as statements:
                await run()
            assert statements, name
            for sql, args in statements:
                if not SKIP.match(sql):
                    offenders += [f"{name}: {line}\n    {' '.join(sql.split())}"
                                  for line in scans(conn, sql, args, paged(name))]
    return offenders
