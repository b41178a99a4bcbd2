"""`crm-bot backup FILE`: a copy of the bot's database, taken while the bot runs.

- SQLite (DATABASE_PATH): SQLite's online backup API in one step, i.e. one read transaction:
  the copy is the database as of one commit, while the bot's processes go on writing (WAL: a
  reader neither waits for the writer nor stops it). Restored by copying it back.
- PostgreSQL (DATABASE_URL): `pg_dump --format=custom`, one snapshot as well; restored with
  `pg_restore`. The password goes to pg_dump in its environment (PGPASSWORD), never on its
  command line (other users see that) nor in anything printed.

The copy is written beside FILE under a temporary name and takes FILE's name only when it
is complete, so a failed or interrupted backup never leaves a FILE that looks like one; an
existing FILE is never overwritten. The result is one line on standard output (a cron job
can discard it and still mail the errors); a problem is one line on stderr, exit code 1.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from bot.settings import Settings
from crm.storage.database import is_postgresql


class BackupFailed(Exception):
    """What went wrong, as the one line the user reads."""


def add_backup_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser(
        "backup", help="copy the database to FILE while the bot runs (SQLite or pg_dump)")
    backup.add_argument("file", help="the backup file to create (never overwritten)")


def run_backup(settings: Settings, file: str) -> int:
    """The exit code: 0 after printing what was written, or 1 after printing why not."""
    target = Path(file)
    try:
        if is_postgresql(settings.database_location):
            lines = _postgresql_backup(str(settings.database_location), target)
        else:
            lines = _sqlite_backup(settings.database_path, target)
    except BackupFailed as problem:
        print(f"crm-bot: {problem}", file=sys.stderr)
        return 1
    for line in lines:
        print(f"crm-bot: {line}")
    return 0


def _sqlite_backup(source: Path, target: Path) -> list[str]:
    if not source.is_file():
        raise BackupFailed(f"there is no database at {source} (check DATABASE_PATH)")
    with _new_file(target) as partial:
        try:
            # read-only: a backup never changes the bot's file, nor creates one
            reading = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True,
                                      timeout=30)
            with closing(reading), closing(sqlite3.connect(partial)) as copy:
                reading.backup(copy)  # all pages in one step: one snapshot
                # one self-contained file (the bot turns WAL on again when it opens it)
                copy.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.Error as error:
            raise BackupFailed(f"cannot back up {source}: {error}") from None
    return [f"backed up {source} to {target} ({_size(target)})"]


def _postgresql_backup(url: str, target: Path) -> list[str]:
    shown, password = _without_password(url)
    environment = {**os.environ, "PGAPPNAME": "crm-bot backup"}
    if password is not None:
        environment["PGPASSWORD"] = password
    with _new_file(target) as partial:
        try:
            done = subprocess.run(
                ["pg_dump", "--format=custom", "--no-password", "--file", str(partial),
                 "--dbname", shown],
                env=environment, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                check=False)
        except FileNotFoundError:
            raise BackupFailed(
                "pg_dump is not installed: a PostgreSQL database is backed up with PostgreSQL's"
                " client programs (e.g. the package postgresql-client), of the server's"
                " version or newer") from None
        if done.returncode != 0:
            reason = _pg_dump_reason(done.stderr, password)
            raise BackupFailed(f"pg_dump could not back up {shown}: {reason}")
    restore = shlex.join(["pg_restore", "--clean", "--if-exists", "--dbname", shown,
                          str(target)])
    return [f"backed up {shown} to {target} ({_size(target)})",
            f"to restore it, with every crm-bot process stopped: {restore}"]


@contextmanager
def _new_file(target: Path) -> Iterator[Path]:
    """A temporary file beside `target` (its folder created), renamed to it when the block
    succeeds and removed when it fails; refuses when `target` exists."""
    if target.exists():
        raise BackupFailed(f"{target} exists already; a backup never overwrites a file"
                           " (choose a new name)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                        suffix=".partial")
        os.close(handle)
    except OSError as error:
        raise BackupFailed(f"cannot write {target}: {error.strerror or error}") from None
    partial = Path(name)
    try:
        yield partial
        if target.exists():  # made by someone else while the backup ran
            raise BackupFailed(f"{target} appeared while the backup ran; it was left alone"
                               " (choose a new name)")
        try:
            os.replace(partial, target)
        except OSError as error:
            raise BackupFailed(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        with suppress(OSError):
            partial.unlink(missing_ok=True)


def _without_password(url: str) -> tuple[str, str | None]:
    """The URL without its password (in the user part or as a `password=` parameter), and
    the password."""
    parts = urlsplit(url)
    password = unquote(parts.password) if parts.password is not None else None
    netloc = parts.netloc.rpartition("@")
    if parts.password is not None:
        netloc = (netloc[0].partition(":")[0], "@", netloc[2])
    query = parse_qsl(parts.query, keep_blank_values=True)
    for key, value in query:
        if key == "password":
            password = value
    kept = urlencode([(k, v) for k, v in query if k != "password"])
    # by hand: urlunsplit drops the empty host of postgresql:///crm (the local socket)
    return f"{parts.scheme}://{''.join(netloc)}{parts.path}{'?' if kept else ''}{kept}", password


def _pg_dump_reason(stderr: str, password: str | None) -> str:
    """pg_dump's error (and its detail) as one line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    said = [re.sub(r"^pg_dump: (error|detail|hint): ", "", line) for line in lines
            if re.match(r"pg_dump: (error|detail|hint): ", line)]
    reason = re.sub(r"\s+", " ", "; ".join(said or lines[-1:]) or "it failed")
    return reason.replace(password, "***") if password else reason


def _size(path: Path) -> str:
    size = float(path.stat().st_size)
    if size < 1000:
        return f"{size:.0f} bytes"
    units = iter(("kB", "MB", "GB", "TB"))
    unit = next(units)
    while (size := size / 1000) >= 1000 and unit != "TB":
        unit = next(units)
    return f"{size:.1f} {unit}"
