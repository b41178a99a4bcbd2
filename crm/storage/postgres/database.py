"""A PostgreSQL database (DATABASE_URL=postgresql://…): connections, migrations, the writer
and its readers — the same contract as the SQLite file (see ../database.py).

- One writing unit of work at a time across every process: a writer's transaction begins
  with `pg_advisory_xact_lock(WRITER_KEY)`, held until its COMMIT or ROLLBACK. That is what
  SQLite's BEGIN IMMEDIATE gives, so every use case that reads and then writes stays as
  correct as on SQLite without a lock of its own; writes are short, and reads (most of the
  traffic) never wait for it.
- A read runs in REPEATABLE READ: one snapshot for all its statements, as a WAL reader.
- A session that stays idle inside a transaction (a process frozen halfway) is ended by the
  server after IDLE_IN_TRANSACTION, which releases the writer's lock.
- Migrations: the baseline in migrations/postgresql/ (the schema SQLite reaches with the
  shared files up to its number), then every later shared file, or its PostgreSQL override.
  Applied one per transaction under an advisory lock and recorded in `schema_migrations`.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg

from crm.errors import SchemaTooNew, StorageUnavailable
from crm.storage.base_database import READERS, Database, Mode, available_migrations
from crm.storage.codec import ts
from crm.storage.connection import Connection, Params
from crm.storage.dialect import POSTGRESQL, Dialect
from crm.storage.postgres.connection import PostgresConnection
from crm.storage.repos.settings import RECORD_UPDATE

log = logging.getLogger(__name__)

POSTGRES_MIGRATIONS = "crm.storage.migrations.postgresql"
# Advisory lock keys (one namespace per database): 'crm' and a number.
WRITER_KEY = 0x63726D01
MIGRATION_KEY = 0x63726D02
# A reader nobody took this long after its read sends the read's COMMIT itself (end_read).
COMMIT_AFTER = 0.2
# Every writing transaction notifies this channel, delivered when it commits (wake-ups).
COMMITS_CHANNEL = "crm_commits"
SESSION = {
    "application_name": "crm-bot",
    "idle_in_transaction_session_timeout": "30s",
    "lock_timeout": "10s",  # a writer waits this long for another's lock, then fails
    "statement_timeout": "60s",
}
_VERSIONS = "SELECT name, version FROM cache_versions WHERE name IN ('staff', 'catalog')"
_READ_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
_BEGIN = {
    "write": f"BEGIN; SELECT pg_advisory_xact_lock({WRITER_KEY}); {_VERSIONS}",
    "read": f"{_READ_BEGIN}; {_VERSIONS}",
    None: _VERSIONS,
}


class PostgresDatabase(Database):
    def __init__(self, url: str, readers: int = READERS) -> None:
        super().__init__(url, readers)
        self.url = url
        self._conn: PostgresConnection | None = None

    @property
    def location(self) -> str:
        return self.url

    @property
    def dialect(self) -> Dialect:
        return POSTGRESQL

    @property
    def has_readers(self) -> bool:
        return True

    @property
    def commit_statement(self) -> str:
        return f"NOTIFY {COMMITS_CHANNEL}; COMMIT"

    @property
    def conn(self) -> PostgresConnection:
        if self._conn is None:
            raise RuntimeError("database is not open")
        return self._conn

    async def open(self) -> None:
        self._forget_caches()
        self._conn = await self._connect()
        try:
            await self.migrate()
        except BaseException:
            await self.close()
            raise

    async def _connect(self) -> PostgresConnection:
        try:
            return await PostgresConnection.connect(self.url, **SESSION)
        except psycopg.Error as exc:
            raise StorageUnavailable(path=redacted(self.url), detail=_reason(exc)) from exc

    async def _connect_reader(self) -> Connection:
        return await self._connect()

    def _reader_usable(self, conn: Connection) -> bool:
        assert isinstance(conn, PostgresConnection)
        return not conn.lost

    async def _close_reader(self, conn: Connection) -> None:
        assert isinstance(conn, PostgresConnection)
        await conn.close()

    def end_read(self, conn: Connection) -> None:
        """A read's reader is free at once; its COMMIT goes with the next statements sent
        on it (PostgresConnection.owe_commit): a round trip less per read, and none after
        the answer. A reader nobody takes within COMMIT_AFTER sends it on its own, so no
        snapshot is held longer than that (it would hold back vacuum, and its locks DDL)."""
        assert isinstance(conn, PostgresConnection)
        if conn.lost:
            self.release_reader(conn, reusable=False)
            return
        conn.owe_commit()
        self.release_reader(conn)
        loop = asyncio.get_running_loop()
        loop.call_later(COMMIT_AFTER, self._commit_if_idle, conn)

    def _commit_if_idle(self, conn: PostgresConnection) -> None:
        if conn in self._idle:  # else whoever took it sends the COMMIT, or did
            self._ending_in_background(self._pay_commit(conn))

    @staticmethod
    async def _pay_commit(conn: PostgresConnection) -> None:
        try:
            await conn.pay_commit()
        except psycopg.Error:  # the session is gone: its next use finds out (`lost`)
            log.warning("a read's COMMIT could not be sent", exc_info=True)

    async def begin(self, conn: Connection, mode: Mode) -> dict[str, int]:
        assert isinstance(conn, PostgresConnection)
        try:
            return await _begin(conn, mode)
        except psycopg.OperationalError:
            if not conn.lost:
                raise
        # The server ended this session while it was idle (a restart, a terminated
        # backend): nothing had begun on it, so a new session begins instead.
        log.warning("the database ended a session; connecting again")
        await conn.reconnect()
        return await _begin(conn, mode)

    async def commit_recording(self, conn: Connection, update_id: int, at: datetime) -> bool:
        """The record, the NOTIFY and the COMMIT in one round trip (a pipeline). A record
        there already fails the INSERT, which aborts the transaction and skips the rest."""
        assert isinstance(conn, PostgresConnection)
        try:
            await conn.send_together([(RECORD_UPDATE, (update_id, ts(at))),
                                      (f"NOTIFY {COMMITS_CHANNEL}", None), ("COMMIT", None)])
        except psycopg.errors.UniqueViolation as exc:
            if exc.diag.table_name != "processed_updates":
                raise
            return False
        return True

    async def begin_with(self, conn: Connection, mode: Mode, sql: str, params: Params
                         ) -> tuple[dict[str, int], list[Any]]:
        """The BEGIN, the versions and the first read in one round trip (a pipeline)."""
        assert isinstance(conn, PostgresConnection)
        if mode != "read":
            return await super().begin_with(conn, mode, sql, params)
        try:
            with conn.together():
                _begun, versions, rows = await asyncio.gather(
                    conn.execute_fetchall(_READ_BEGIN), conn.execute_fetchall(_VERSIONS),
                    conn.execute_fetchall(sql, params))
        except psycopg.OperationalError:
            if not conn.lost:
                raise
            # The server ended this session while it was idle: `begin` connects again.
            return await super().begin_with(conn, mode, sql, params)
        return {str(name): int(version) for name, version in versions}, rows

    async def close(self) -> None:
        await self._close_readers()
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def migrate(self) -> list[int]:
        """Applies every migration newer than the newest in `schema_migrations`, each in a
        transaction of its own under the migration lock (processes starting at once apply
        each one once). Raises SchemaTooNew for a database newer than this code."""
        migrations = postgres_migrations()
        newest = migrations[-1][0]
        applied: list[int] = []
        while (version := await self._apply_next(migrations, newest)) is not None:
            applied.append(version)
        return applied

    async def _apply_next(self, migrations: list[tuple[int, str]], newest: int) -> int | None:
        conn = self.conn
        await conn.execute(
            f"BEGIN; SELECT pg_advisory_xact_lock({MIGRATION_KEY});"
            " CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)")
        try:
            rows = await conn.execute_fetchall("SELECT MAX(version) FROM schema_migrations")
            current = int(rows[0][0] or 0)
            if current > newest:
                raise SchemaTooNew(redacted(self.url), current, newest)
            pending = next(((v, sql) for v, sql in migrations if v > current), None)
            if pending is None:
                await conn.execute("ROLLBACK")
                return None
            version, sql = pending
            await conn.execute("SET LOCAL statement_timeout = 0")  # an index on many rows
            await conn.execute(sql)  # a script: the simple query protocol runs it whole
            await conn.execute(
                "INSERT INTO schema_migrations (version, applied_at)"
                " VALUES (?, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'))",
                (version,))
            await conn.execute("COMMIT")
            log.info("database migrated to version %d", version)
            return version
        except BaseException:
            if conn.in_transaction and not conn.raw.broken:
                await conn.execute("ROLLBACK")
            raise


async def _begin(conn: PostgresConnection, mode: Mode) -> dict[str, int]:
    if mode is None:  # the versions alone: a read that may go with others (together)
        return {str(name): int(version) for name, version in
                await conn.execute_fetchall(_VERSIONS)}
    cursor = conn.raw.cursor()
    owed = "COMMIT; " if conn.take_owed_commit() else ""  # an ended read's (end_read)
    await cursor.execute(owed + _BEGIN[mode], prepare=False)
    while cursor.nextset():  # the versions are the last statement's rows
        pass
    return {str(name): int(version) for name, version in await cursor.fetchall()}


def postgres_migrations() -> list[tuple[int, str]]:
    """The baseline, then each later migration: the PostgreSQL override where there is one,
    else the shared file."""
    own = dict(available_migrations(POSTGRES_MIGRATIONS))
    baseline = min(own)
    later = {v: sql for v, sql in available_migrations() if v > baseline}
    later.update({v: sql for v, sql in own.items() if v > baseline})
    return [(baseline, own[baseline]), *sorted(later.items())]


def redacted(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _reason(exc: psycopg.Error) -> str:
    """Why the server could not be used, in a few words: the server's own sentence where
    it gave one ('database "crm" does not exist'), else what the client met."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else type(exc).__name__
    if "FATAL:" in first:  # the server answered and refused
        said = first.split("FATAL:", 1)[1].strip()
        if said.startswith("database ") and said.endswith("does not exist"):
            return f"{said}; create it as the README's Running at scale says"
        return said
    if "Connection refused" in first:
        return "nothing answers there; is PostgreSQL running on that host and port?"
    if first.startswith("failed to resolve host"):
        return "no such " + first.split(":", 1)[0].removeprefix("failed to resolve ")
    return first.removeprefix("connection failed: ")
