"""Several processes starting at once on one database (issue 13): every one starts, and
each migration is applied once, on a new database and on an old one. A database migrated by
a newer version of the code refuses start-up with one clear line. On SQLite and on
PostgreSQL (issue 14), whose databases begin at the baseline (029): none is older."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from crm.storage.database import Database, available_migrations, is_postgresql
from crm.storage.postgres import database as postgres_database
from crm.storage.postgres.database import postgres_migrations
from tests.databases import (
    ON_POSTGRESQL,
    new_postgres_database,
    postgresql_only,
    query,
    sqlite_before,
    sqlite_only,
)
from tests.test_startup_failures import start_fails

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 4
LATER = 1000  # a migration number after any shipped one
WAIT = 60.0  # seconds for a whole start, on a loaded machine

# Each process says "ready" once Python and the storage code are loaded, waits for the
# go file, then opens the database (which migrates it) and prints the versions it applied.
OPENER = """
import asyncio, json, sys, time
from pathlib import Path
from crm.storage.database import Database

async def opened(path: str, go: Path) -> list[int]:
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    db = Database(path)
    applied = []
    migrate = db.migrate
    async def migrate_and_note():  # the Database's kind comes from the path: no subclass
        applied.extend(await migrate())
        return applied
    db.migrate = migrate_and_note
    await db.open()
    await db.close()
    return applied

print(json.dumps(asyncio.run(opened(sys.argv[1], Path(sys.argv[2])))), flush=True)
"""


async def open_at_once(path: str | Path, tmp_path: Path) -> list[list[int]]:
    """PROCESSES processes open `path` at the same moment; the versions each applied."""
    go = tmp_path / "go"
    processes = [await asyncio.create_subprocess_exec(
        sys.executable, "-c", OPENER, str(path), str(go), cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        for _ in range(PROCESSES)]
    for process in processes:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), WAIT)
        assert line == b"ready\n", line
    go.touch()
    results = [await asyncio.wait_for(process.communicate(), WAIT) for process in processes]
    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err.decode()
    return [json.loads(out) for out, _err in results]


def schema_of(path: str | Path) -> tuple[int, int, int]:
    """The schema's version, the default stages (seeded by 002) and the cache versions
    (024)."""
    if is_postgresql(path):
        version = query(path, "SELECT MAX(version) FROM schema_migrations")[0][0]
        stages = query(path, "SELECT COUNT(*) FROM stages")[0][0]
        caches = query(path, "SELECT COUNT(*) FROM cache_versions")[0][0]
        return version, stages, caches
    with sqlite3.connect(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        stages = conn.execute("SELECT COUNT(*) FROM stages").fetchone()[0]
        caches = conn.execute("SELECT COUNT(*) FROM cache_versions").fetchone()[0]
    return version, stages, caches


async def test_processes_starting_at_once_on_a_new_file(tmp_path: Path) -> None:
    path = new_postgres_database(template=False) if ON_POSTGRESQL else tmp_path / "crm.sqlite3"
    applied = await open_at_once(path, tmp_path)
    versions = [version for version, _sql in migrations()]
    assert sorted(v for each in applied for v in each) == versions  # each once
    assert schema_of(path) == (versions[-1], 21, 2)


def migrations() -> list[tuple[int, str]]:
    """The migrations a new database of the suite's kind gets."""
    return postgres_migrations() if ON_POSTGRESQL else available_migrations()


@sqlite_only  # a PostgreSQL database begins at the baseline (029): none is older
async def test_processes_starting_at_once_on_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite3"
    sqlite_before(path, 14).close()
    applied = await open_at_once(path, tmp_path)
    versions = [version for version, _sql in available_migrations()]
    assert sorted(v for each in applied for v in each) == [v for v in versions if v > 13]
    assert schema_of(path) == (versions[-1], 21, 2)


@sqlite_only  # its version is PRAGMA user_version; PostgreSQL's test follows
async def test_a_database_newer_than_the_code_refuses_start_up(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite3"
    newest = available_migrations()[-1][0]
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {newest + 1}")
    line = await start_fails(tmp_path)  # the line crm-bot prints on stderr before it stops
    assert line == (f"crm-bot: the database at {path} was upgraded by a newer crm-bot (schema "
                    f"{newest + 1}, this one knows up to {newest}): start the newer version — "
                    f"an older one must not run on a newer schema")
    with sqlite3.connect(path) as conn:  # left as it was
        assert conn.execute("PRAGMA user_version").fetchone()[0] == newest + 1
        assert conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


@postgresql_only
async def test_a_postgresql_database_newer_than_the_code_refuses_start_up(
        tmp_path: Path) -> None:
    url = new_postgres_database(template=False)
    newest = postgres_migrations()[-1][0]
    query(url, "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY,"
               " applied_at TEXT NOT NULL)")
    query(url, "INSERT INTO schema_migrations VALUES (?, '2027-01-01T00:00:00')", (newest + 1,))
    line = await start_fails(tmp_path, database_url=url)
    assert line == (f"crm-bot: the database at {url} was upgraded by a newer crm-bot (schema "
                    f"{newest + 1}, this one knows up to {newest}): start the newer version — "
                    f"an older one must not run on a newer schema")
    assert query(url, "SELECT version FROM schema_migrations") == [(newest + 1,)]  # as it was
    assert query(url, "SELECT table_name FROM information_schema.tables"
                      " WHERE table_schema = 'public'") == [("schema_migrations",)]


@postgresql_only
async def test_database_objects_opening_a_new_postgresql_database_at_once_migrate_once(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Besides the baseline, two later migrations (the second would fail if run twice):
    each applied by exactly one of the openers, and all of them open."""
    later = [(LATER, "CREATE TABLE later_once (n BIGINT PRIMARY KEY)"),
             (LATER + 1, "INSERT INTO later_once VALUES (1)")]
    shipped = postgres_migrations()
    monkeypatch.setattr(postgres_database, "postgres_migrations", lambda: shipped + later)
    url = new_postgres_database(template=False)

    openers = [recording(Database(url)) for _ in range(PROCESSES)]
    await asyncio.gather(*(db.open() for db, _applied in openers))
    for db, _applied in openers:
        await db.close()
    applied = sorted(v for _db, each in openers for v in each)
    assert applied == [version for version, _sql in shipped + later]  # each once
    assert query(url, "SELECT n FROM later_once") == [(1,)]
    assert [v for (v,) in query(url, "SELECT version FROM schema_migrations ORDER BY 1")] == \
        applied


def recording(db: Database) -> tuple[Database, list[int]]:
    """`db`, and the versions its migrate() will have applied."""
    applied: list[int] = []
    migrate = db.migrate

    async def migrate_and_note() -> list[int]:
        applied.extend(await migrate())
        return applied
    db.migrate = migrate_and_note  # type: ignore[method-assign]
    return db, applied
