"""Which database the suite runs on, and a fresh one for each test that asks.

`CRM_TEST_DATABASE=postgresql` runs the suite on PostgreSQL (the server at
CRM_TEST_POSTGRES_URL, by default the machine's own on 127.0.0.1:5432); anything else, or
nothing, on SQLite files in each test's tmp_path. On PostgreSQL every location is a database
of its own, copied from a template migrated once per run (CREATE DATABASE … TEMPLATE takes a
tenth of a second, migrating takes seconds), and dropped when the test session ends.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

from crm.storage.database import Database, available_migrations, is_postgresql
from crm.storage.postgres.database import MIGRATION_KEY, postgres_migrations
from crm.storage.postgres.placeholders import to_psycopg

ON_POSTGRESQL = os.environ.get("CRM_TEST_DATABASE", "sqlite") == "postgresql"
SERVER_URL = os.environ.get("CRM_TEST_POSTGRES_URL",
                            "postgresql://postgres@127.0.0.1:5432/postgres")
PREFIX = "crm_test_"
sqlite_only = pytest.mark.skipif(
    ON_POSTGRESQL, reason="SQLite's own behaviour (files, PRAGMAs, its query planner)")
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="PostgreSQL's own behaviour")

_created: list[str] = []
_located: dict[Path, str] = {}


def database_location(tmp_path: Path, name: str = "crm.sqlite3") -> str | Path:
    """Where a test's database is: a file in tmp_path, or a fresh PostgreSQL database.
    The same tmp_path and name give the same database, as they give the same file."""
    if not ON_POSTGRESQL:
        return tmp_path / name
    if (tmp_path / name) not in _located:
        _located[tmp_path / name] = new_postgres_database()
    return _located[tmp_path / name]


def database_env(location: str | Path) -> dict[str, str]:
    """The settings that point a bot process at `location`."""
    if is_postgresql(location):
        return {"DATABASE_URL": str(location)}
    return {"DATABASE_PATH": str(location)}


def database_settings(location: str | Path) -> dict[str, Any]:
    """The Settings fields that point an in-process bot at `location`."""
    if is_postgresql(location):
        return {"database_url": str(location)}
    return {"database_path": Path(location)}


def query(location: str | Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Runs `sql` (with `?` placeholders) on the database at `location` from a connection of
    its own, as another program would, and commits; its rows."""
    if is_postgresql(location):
        with psycopg.connect(str(location), autocommit=True) as pg:
            cursor = pg.execute(to_psycopg(sql), params)
            return cursor.fetchall() if cursor.description else []
    with closing(sqlite3.connect(location)) as conn, conn:
        return conn.execute(sql, params).fetchall()


def sqlite_before(path: Path, version: int) -> sqlite3.Connection:
    """An SQLite file at `path` migrated up to just before migration `version`, as an older
    bot left it (opening it with Database migrates the rest of the way); the connection."""
    conn = sqlite3.connect(path)
    for number, sql in available_migrations():
        if number < version:
            conn.executescript(f"{sql}\nPRAGMA user_version = {number};")
    return conn


def first_deal_stage(conn: sqlite3.Connection) -> tuple[int, int]:
    """(stage id, pipeline id) of the default deal pipeline's first stage."""
    stage, pipeline = conn.execute("SELECT id, pipeline_id FROM stages WHERE pipeline_id IN"
                                   " (SELECT id FROM pipelines WHERE type_code = 'deal')"
                                   " ORDER BY position LIMIT 1").fetchone()
    return int(stage), int(pipeline)


def url_of(database: str) -> str:
    return SERVER_URL.rsplit("/", 1)[0] + "/" + database


def new_postgres_database(template: bool = True) -> str:
    """A new database on the test server (migrated, unless template=False); its URL."""
    name = f"{PREFIX}{uuid.uuid4().hex[:16]}"
    source = f" TEMPLATE {_template()}" if template else ""
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}{source}")
    _created.append(name)
    return url_of(name)


def drop_created() -> None:
    """Drops the databases this process made (at the end of the session)."""
    if not _created:
        return
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        while _created:
            conn.execute(f"DROP DATABASE IF EXISTS {_created.pop()} WITH (FORCE)")


def _template() -> str:
    """The migrated template of this code's migrations, made once (by whichever test worker
    comes first: the others wait on the advisory lock)."""
    migrations = postgres_migrations()
    digest = hashlib.sha1("".join(sql for _, sql in migrations).encode()).hexdigest()[:12]
    name = f"crm_template_{digest}"
    with psycopg.connect(SERVER_URL, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_KEY,))
        try:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (name,)).fetchone()
            if not exists:
                _migrate_new(conn, name)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_KEY,))
    return name


def _migrate_new(server: psycopg.Connection[object], name: str) -> None:
    """Migrates a new database as the bot does (in a thread of its own: the caller may be
    inside the test's event loop), then gives it the template's name."""
    building = f"{name}_building"
    server.execute(f"DROP DATABASE IF EXISTS {building} WITH (FORCE)")
    server.execute(f"CREATE DATABASE {building}")

    async def migrate() -> None:
        db = Database(url_of(building))
        await db.open()
        await db.close()
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, migrate()).result()
    server.execute(f"ALTER DATABASE {building} RENAME TO {name}")
