"""Several processes starting at once on one database file (issue 13): every one starts, and
each migration is applied once, on a new file and on an old one. A database migrated by a
newer version of the code refuses start-up with one clear line."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
from pathlib import Path

from crm.storage.database import available_migrations
from tests.test_startup_failures import start_fails

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = 4
WAIT = 60.0  # seconds for a whole start, on a loaded machine

# Each process says "ready" once Python and the storage code are loaded, waits for the
# go file, then opens the database (which migrates it) and prints the versions it applied.
OPENER = """
import asyncio, json, sys, time
from pathlib import Path
from crm.storage.database import Database

class Recording(Database):
    applied: list[int] = []

    async def migrate(self) -> list[int]:
        self.applied = await super().migrate()
        return self.applied

async def opened(path: str, go: Path) -> list[int]:
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    db = Recording(path)
    await db.open()
    await db.close()
    return db.applied

print(json.dumps(asyncio.run(opened(sys.argv[1], Path(sys.argv[2])))), flush=True)
"""


async def open_at_once(path: Path, tmp_path: Path) -> list[list[int]]:
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


def schema_of(path: Path) -> tuple[int, int, int]:
    """user_version, the default stages (seeded by 002) and the cache versions (024)."""
    with sqlite3.connect(path) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        stages = conn.execute("SELECT COUNT(*) FROM stages").fetchone()[0]
        caches = conn.execute("SELECT COUNT(*) FROM cache_versions").fetchone()[0]
    return version, stages, caches


async def test_processes_starting_at_once_on_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite3"
    applied = await open_at_once(path, tmp_path)
    versions = [version for version, _sql in available_migrations()]
    assert sorted(v for each in applied for v in each) == versions  # each once
    assert schema_of(path) == (versions[-1], 21, 2)


async def test_processes_starting_at_once_on_an_old_file(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite3"
    with sqlite3.connect(path) as conn:
        for version, sql in available_migrations():
            if version <= 13:
                conn.executescript(f"{sql}\nPRAGMA user_version = {version};")
    applied = await open_at_once(path, tmp_path)
    versions = [version for version, _sql in available_migrations()]
    assert sorted(v for each in applied for v in each) == [v for v in versions if v > 13]
    assert schema_of(path) == (versions[-1], 21, 2)


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
