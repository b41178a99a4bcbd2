"""The PostgreSQL baseline (migrations/postgresql/029_baseline.sql) has every table and view
of the SQLite schema with the same columns in the same order, and the same seed rows, so
that the repositories' SQL reads the same on both. Runs only with CRM_TEST_POSTGRES_URL set
(a server where the test may create a database)."""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from crm.storage.database import Database

SERVER = os.environ.get("CRM_TEST_POSTGRES_URL")
pytestmark = pytest.mark.skipif(not SERVER, reason="CRM_TEST_POSTGRES_URL is not set")

SEEDED = ["entity_types", "pipelines", "stages", "lost_reasons", "lost_reason_defaults",
          "app_settings", "cache_versions"]
FTS_SHADOWS = ("_data", "_idx", "_content", "_docsize", "_config")
Pg = psycopg.AsyncConnection[tuple[Any, ...]]


@pytest.fixture
async def postgres() -> AsyncIterator[Pg]:
    """A connection to a fresh database holding the baseline; dropped afterwards."""
    assert SERVER is not None
    name = f"crm_schema_test_{uuid.uuid4().hex[:12]}"
    async with await psycopg.AsyncConnection.connect(SERVER, autocommit=True) as admin:
        await admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            baseline = (resources.files("crm.storage.migrations.postgresql")
                        / "029_baseline.sql").read_text(encoding="utf-8")
            async with await psycopg.AsyncConnection.connect(
                    make_conninfo(SERVER, dbname=name)) as conn:
                await conn.execute(baseline.encode())  # one execute, as the runner sends it
                await conn.commit()
                yield conn
        finally:
            await admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
                                .format(sql.Identifier(name)))


@pytest.fixture
async def sqlite_db(tmp_path: Path) -> AsyncIterator[sqlite3.Connection]:
    """A fresh SQLite database after every migration."""
    path = tmp_path / "x.sqlite3"
    db = Database(path)
    await db.open()
    await db.close()
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


def sqlite_relations(conn: sqlite3.Connection) -> dict[str, tuple[bool, list[str]]]:
    """name -> (is an FTS5 table, its columns in order) for every table and view a query
    may name (not SQLite's own tables nor FTS5's shadow tables)."""
    found = {}
    for name, text in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'view')"
            " AND name NOT LIKE 'sqlite_%'"):
        fts = str(text).startswith("CREATE VIRTUAL TABLE")
        if not fts and name.endswith(FTS_SHADOWS) and "_search_" in name:
            continue
        # table_xinfo: generated columns too; hidden = 1 are FTS5's own (rank, the table).
        columns = [row[1] for row in conn.execute(f'PRAGMA table_xinfo("{name}")')
                   if row[6] != 1]
        found[name] = (fts, columns)
    return found


async def postgres_columns(conn: Pg) -> dict[str, list[str]]:
    cur = await conn.execute(
        "SELECT c.relname, a.attname FROM pg_class c"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v')"
        " ORDER BY c.relname, a.attnum")
    found: dict[str, list[str]] = {}
    for relname, attname in await cur.fetchall():
        found.setdefault(relname, []).append(attname)
    return found


async def test_every_table_and_view_has_the_same_columns(
        postgres: Pg, sqlite_db: sqlite3.Connection) -> None:
    lite = sqlite_relations(sqlite_db)
    pg = await postgres_columns(postgres)
    assert sorted(pg) == sorted(lite)
    for name, (fts, columns) in lite.items():
        # A search table's `rowid` (FTS5's implicit one) is a column of its own there.
        assert pg[name] == (["rowid", *columns] if fts else columns), name


async def test_the_seed_rows_are_the_same(postgres: Pg, sqlite_db: sqlite3.Connection) -> None:
    for table in SEEDED:
        columns = [row[1] for row in sqlite_db.execute(f"PRAGMA table_info({table})")]
        listed = ", ".join(columns)
        lite = sorted(tuple(row) for row in sqlite_db.execute(f"SELECT {listed} FROM {table}"))
        cur = await postgres.execute(f"SELECT {listed} FROM {table}")
        assert sorted(await cur.fetchall()) == lite, table


async def test_new_ids_follow_the_seed_rows(postgres: Pg) -> None:
    cur = await postgres.execute(
        "INSERT INTO pipelines (type_code, name_en, name_de, position)"
        " VALUES ('deal', 'Second', 'Zweite', 2) RETURNING id")
    assert await cur.fetchone() == (5,)
    cur = await postgres.execute(
        "SELECT count(*), min(id) FROM lost_reasons WHERE pipeline_id = 5")
    assert await cur.fetchone() == (6, 25)  # the default reasons, after the 24 seeded
