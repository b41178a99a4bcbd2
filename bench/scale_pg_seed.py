"""bench/scale_seed.py's SQLite database copied into PostgreSQL, for bench/scale.py.

One database per size, `crm_bench_scale_<items>_<digest>`, kept between runs as the SQLite
files are; the digest covers the PostgreSQL migrations and the SQLite file's name, so a
schema change makes a fresh one (older ones of that size are dropped). Made under a
`_partial` name and renamed when complete:

1. the bot's own migrations create the schema (`Database(url).open()`);
2. in one transaction, with `session_replication_role = replica` (no triggers, no foreign
   key checks: they would only recompute what the copy brings), the indexes that back no
   constraint are dropped, every table is emptied and filled from the SQLite file by COPY,
   the search tables are rebuilt by one INSERT … SELECT each (what their triggers write;
   their own word-bound triggers on),
   the indexes are created again and each identity continues after its table's largest id;
3. VACUUM ANALYZE, as autovacuum leaves a database in use (statistics, and the visibility
   map that lets an index-only scan skip the table); each table's row count is checked
   against SQLite's.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.scale_seed import seeded
from crm.storage.database import Database
from crm.storage.postgres.database import postgres_migrations

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PREFIX = "crm_bench_scale_"
# Filled from their sources, not copied (SQLite's are FTS5 tables); as their triggers write.
# The search tables' own triggers (the word bounds of migration 030) fire for these rows.
_PARTY = ("SELECT id, crm_fold(name), crm_fold(email), crm_fold(phone),"
          " crm_fold(phone_digits)")
SEARCH = {
    "item_search": "INSERT INTO item_search (rowid, title, client, digits, owner)"
                   " SELECT id, title, client, digits, owner FROM item_search_source",
    "contact_search": "INSERT INTO contact_search (rowid, name, email, phone, digits) "
                      + _PARTY + " FROM contacts",
    "company_search": "INSERT INTO company_search (rowid, name, email, phone, digits) "
                      + _PARTY + " FROM companies",
}
FOLLOWING = ("item_search_words",)  # PostgreSQL's own: item_search's trigger fills it (034)
NOT_COPIED = {"schema_migrations", *SEARCH, *FOLLOWING}


def database_name(items: int, sqlite_path: Path) -> str:
    digest = hashlib.sha256(sqlite_path.name.encode())
    for version, text in postgres_migrations():
        digest.update(f"{version}\n{text}".encode())
    return f"{PREFIX}{items}_{digest.hexdigest()[:10]}"


def url_of(admin_url: str, name: str) -> str:
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


async def pg_seeded(items: int, admin_url: str = ADMIN_URL) -> str:
    """The URL of a PostgreSQL database holding the seeded SQLite database's rows, copying
    them first if needed."""
    path = await seeded(items)
    name = database_name(items, path)
    existing = await asyncio.to_thread(_databases, admin_url, f"{PREFIX}{items}_")
    if name in existing:
        return url_of(admin_url, name)
    partial = f"{name}_partial"
    for old in existing:
        await asyncio.to_thread(_admin, admin_url, "DROP DATABASE {} WITH (FORCE)", old)
    await asyncio.to_thread(_admin, admin_url, "CREATE DATABASE {}", partial)
    db = Database(url_of(admin_url, partial))
    await db.open()  # the schema, by the bot's own migrations
    await db.close()
    began = time.perf_counter()
    await asyncio.to_thread(_copy, path, url_of(admin_url, partial))
    await asyncio.to_thread(_admin, admin_url, f"ALTER DATABASE {{}} RENAME TO {name}", partial)
    print(f"    (copied {items:,} items' database into PostgreSQL {name}"
          f" in {time.perf_counter() - began:.0f} s)", flush=True)
    return url_of(admin_url, name)


def _databases(admin_url: str, prefix: str) -> list[str]:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)",
                            (prefix,)).fetchall()
    return [str(row[0]) for row in rows]


def _admin(admin_url: str, statement: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL(statement).format(sql.Identifier(name)))


def _copy(sqlite_path: Path, url: str) -> None:
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            tables = _tables(conn)
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")
                conn.execute("SET LOCAL maintenance_work_mem = '512MB'")
                indexes = _drop_indexes(conn)
                conn.execute(sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(
                    sql.Identifier(t) for t in [*tables, *SEARCH, *FOLLOWING])))
                for table, columns in tables.items():
                    _copy_table(source, conn, table, columns)
                conn.execute("SET LOCAL session_replication_role = origin")  # see SEARCH
                for statement in SEARCH.values():
                    conn.execute(statement)
                for definition in indexes:
                    conn.execute(definition)
                _continue_identities(conn)
            conn.execute("VACUUM ANALYZE")
            _check_counts(source, conn, tables)
    finally:
        source.close()


def _tables(conn: psycopg.Connection[tuple[object, ...]]) -> dict[str, list[str]]:
    """Each table to copy (in the order they were created) with its stored columns."""
    rows = conn.execute(
        "SELECT c.relname, a.attname FROM pg_class c"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
        " WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'"
        "   AND a.attgenerated = ''"  # a generated column is computed from the copied ones
        " ORDER BY c.oid, a.attnum").fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        if str(table) not in NOT_COPIED:
            tables.setdefault(str(table), []).append(str(column))
    return tables


def _drop_indexes(conn: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    """Drops the indexes that back no constraint (built once after the copy, not row by
    row); their definitions."""
    rows = conn.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indrelid"
        " WHERE c.relnamespace = 'public'::regnamespace"
        "   AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)"
    ).fetchall()
    for name, _definition in rows:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(str(name))))
    return [str(definition) for _name, definition in rows]


def _copy_table(source: sqlite3.Connection, conn: psycopg.Connection[tuple[object, ...]],
                table: str, columns: list[str]) -> None:
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    quoted = ", ".join(f'"{c}"' for c in columns)
    query = f'SELECT {quoted} FROM "{table}"'  # rowid order: the order they were written
    with conn.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), names)) as copy:
        for row in source.execute(query):
            copy.write_row(row)


def _continue_identities(conn: psycopg.Connection[tuple[object, ...]]) -> None:
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND is_identity = 'YES'").fetchall()
    for table, column in rows:
        conn.execute(sql.SQL(
            "SELECT setval(pg_get_serial_sequence({t}, {c}), coalesce(max({col}), 0) + 1, false)"
            " FROM {table}").format(t=sql.Literal(table), c=sql.Literal(column),
                                    col=sql.Identifier(str(column)),
                                    table=sql.Identifier(str(table))))


def _check_counts(source: sqlite3.Connection, conn: psycopg.Connection[tuple[object, ...]],
                  tables: dict[str, list[str]]) -> None:
    sources = {**{t: t for t in tables}, "item_search": "items",
               "contact_search": "contacts", "company_search": "companies"}
    for table, origin in sources.items():
        (expected,) = source.execute(f'SELECT COUNT(*) FROM "{origin}"').fetchone()
        row = conn.execute(sql.SQL("SELECT COUNT(*) FROM {}").format(
            sql.Identifier(table))).fetchone()
        if row is None or row[0] != expected:
            raise RuntimeError(f"{table}: {row and row[0]} rows in PostgreSQL, SQLite has"
                               f" {expected} in {origin}")
