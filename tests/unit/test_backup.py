"""`crm-bot backup FILE`: a copy of the database taken while the bot writes holds every
committed row and nothing uncommitted, and opens (SQLite) or restores (PostgreSQL, with the
pg_restore command it prints) as a database with the same items. It never overwrites a file,
never prints the password, and every problem is one line on stderr with exit code 1."""

from __future__ import annotations

import asyncio
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from bot.__main__ import main
from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from crm.storage.database import Database
from tests.databases import (
    ON_POSTGRESQL,
    database_env,
    new_postgres_database,
    postgresql_only,
    sqlite_only,
)

ROOT = Path(__file__).resolve().parents[2]
Items = list[tuple[int, str, int]]
PASSWORD = "s3cret-never-shown"


@pytest.fixture
def env(db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The bot's settings pointing at the test's database (a password in the URL, which the
    tests' server, trusting local connections, does not ask for)."""
    location = db.location.replace("://postgres@", f"://postgres:{PASSWORD}@")
    values = {"BOT_TOKEN": "123456:TEST-TOKEN-backup", **database_env(location),
              "TEMPLATES_DIR": str(ROOT / "templates"), "DATA_DIR": str(tmp_path / "data")}
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


async def _items(location: str) -> Items:
    """The items as a bot process opening `location` reads them."""
    db = Database(location)
    await db.open()
    try:
        rows = await db.conn.execute_fetchall("SELECT id, title, stage_id FROM items ORDER BY id")
        return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]
    finally:
        await db.close()


def _restored(copy: Path, printed: str) -> str:
    """The database the backup becomes: the SQLite file itself, or a fresh PostgreSQL
    database restored with the pg_restore command the backup printed."""
    if not ON_POSTGRESQL:
        return str(copy)
    command = shlex.split(printed.split(": ", 2)[-1])
    assert command[:4] == ["pg_restore", "--clean", "--if-exists", "--dbname"]
    assert command[5:] == [str(copy)]
    fresh = new_postgres_database(template=False)
    command[4] = fresh
    _run(command)
    return fresh


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)


def _backup(file: Path) -> None:
    main(["backup", str(file)])


async def test_a_backup_taken_while_a_unit_of_work_writes_holds_what_was_committed(
        env: dict[str, str], services: CrmServices, admin: Staff, db: Database,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for n in range(12):
        await services.items.create(admin, NewItem("deal", f"Deal {n}"))
    committed = await _items(db.location)
    copy = tmp_path / "backups" / "nightly" / "crm.backup"  # the folders do not exist yet
    async with services.uow() as uow:
        await uow.conn.execute("UPDATE items SET title = 'Renamed' WHERE id = ?",
                               (committed[0][0],))
        await uow.conn.execute("DELETE FROM items WHERE id = ?", (committed[-1][0],))
        # the backup runs beside the open writing transaction (it must not wait for it)
        await asyncio.wait_for(asyncio.to_thread(_backup, copy), 30)
        await uow.commit()
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0].startswith("crm-bot: backed up ")
    assert re.search(rf" to {re.escape(str(copy))} \(\d+\.\d (kB|MB)\)$", lines[0])
    assert PASSWORD not in out
    assert [p.name for p in copy.parent.iterdir()] == ["crm.backup"]  # no partial file left
    assert await _items(_restored(copy, lines[-1])) == committed


@sqlite_only
async def test_a_backup_while_items_are_being_committed_holds_every_one_before_it(
        env: dict[str, str], services: CrmServices, admin: Staff, db: Database,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    created: list[int] = []
    stop, ten_made = asyncio.Event(), asyncio.Event()

    async def keep_creating() -> None:
        while not stop.is_set():
            item = await services.items.create(admin, NewItem("deal", f"Deal {len(created)}"))
            created.append(item.id)
            if len(created) == 10:
                ten_made.set()

    writer = asyncio.create_task(keep_creating())
    await asyncio.wait_for(ten_made.wait(), 30)
    before = list(created)
    await asyncio.wait_for(asyncio.to_thread(_backup, tmp_path / "copy.sqlite3"), 30)
    stop.set()
    await writer
    assert "backed up" in capsys.readouterr().out
    copied = await _items(str(tmp_path / "copy.sqlite3"))
    assert {i for i, _, _ in copied} >= set(before)
    # one moment's snapshot: exactly the items committed up to the last one it holds
    source = await _items(db.location)
    assert copied == [row for row in source if row[0] <= copied[-1][0]]


@postgresql_only
async def test_the_restore_command_it_prints_puts_the_database_back(
        env: dict[str, str], services: CrmServices, admin: Staff, db: Database,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    item = await services.items.create(admin, NewItem("deal", "Kept"))
    before = await _items(db.location)
    copy = tmp_path / "crm.dump"
    _backup(copy)
    restore = capsys.readouterr().out.splitlines()[-1]
    assert restore.startswith("crm-bot: to restore it, with every crm-bot process stopped: ")
    assert PASSWORD not in restore
    async with services.uow() as uow:  # what the backup should undo
        await uow.conn.execute("DELETE FROM items WHERE id = ?", (item.id,))
        await uow.commit()
    await db.close()  # every process stopped
    _run(shlex.split(restore.split(": ", 2)[-1]))
    await db.open()
    assert await _items(db.location) == before


def test_an_existing_file_is_never_overwritten(env: dict[str, str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "crm.backup"
    copy.write_text("last week's backup")
    with pytest.raises(SystemExit) as stop:
        main(["backup", str(copy)])
    assert stop.value.code == 1
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"crm-bot: {copy} exists already; a backup never overwrites"
                              " a file (choose a new name)\n")
    assert copy.read_text() == "last week's backup"


@sqlite_only
def test_no_database_at_the_path_is_one_line(env: dict[str, str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "nowhere.sqlite3"))
    with pytest.raises(SystemExit) as stop:
        main(["backup", str(tmp_path / "copy.sqlite3")])
    assert stop.value.code == 1
    assert capsys.readouterr().err == (
        f"crm-bot: there is no database at {tmp_path / 'nowhere.sqlite3'} (check DATABASE_PATH)\n")
    assert not (tmp_path / "nowhere.sqlite3").exists()  # not created by looking
    assert not (tmp_path / "copy.sqlite3").exists()


def test_without_pg_dump_it_says_what_to_install(env: dict[str, str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"postgresql://crm:{PASSWORD}@127.0.0.1:5432/crm")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no pg_dump on it
    with pytest.raises(SystemExit) as stop:
        main(["backup", str(tmp_path / "out" / "crm.dump")])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("crm-bot: pg_dump is not installed: ")
    assert err.count("\n") == 1
    assert PASSWORD not in err
    assert list((tmp_path / "out").iterdir()) == []  # neither the file nor a partial one


@postgresql_only
def test_a_failing_pg_dump_is_one_line_without_the_password(
        env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    url = env["DATABASE_URL"].rsplit("/", 1)[0] + "/crm_test_no_such_database"
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SystemExit) as stop:
        main(["backup", str(tmp_path / "crm.dump")])
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert err.startswith("crm-bot: pg_dump could not back up postgresql://postgres@")
    assert 'database "crm_test_no_such_database" does not exist' in err
    assert err.count("\n") == 1
    assert PASSWORD not in err
    assert [p.name for p in tmp_path.iterdir() if "crm.dump" in p.name] == []
