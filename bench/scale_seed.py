"""A database seeded like a team's after a few years, for bench/scale.py.

Per item: a contact (one for every two items; one in three works for a company), three
stage-history rows (created, two moves; the last one is the item's stage), three rule runs
(one on an earlier entry, two on the current one), an outbox row per current run, a handled
Telegram update; an activity for every second item and a timeline row for every fourth.
Written with the standard library's sqlite3 in large transactions, after the bot's own
migrations created the schema (so triggers and indexes of every migration apply).

The file is kept in bench/.data/ and reused while the schema version is the same.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from crm.storage.database import Database, available_migrations

DATA = Path(__file__).resolve().parent / ".data"
ADMIN_ID = 1001
SELLERS = tuple(range(2001, 2041))
CHUNK = 50_000
START = datetime(2023, 1, 2, 8, 0, tzinfo=UTC)
FIRST = ("Anna", "Jürgen", "Sophie", "Lukas", "Maria", "Jörg", "Lea", "Björn", "Emma", "Paul",
         "Zoë", "Felix", "Hanna", "Käthe", "Noah", "Özlem", "Ben", "Mia", "Luis", "Sören")
LAST = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Schäfer", "Meyer", "Wagner",
        "Becker", "Hoffmann", "Schröder", "Koch", "Böhm", "Groß", "Krüger", "Hartmann",
        "Lange", "Werner", "Köhler", "Weiß")
WORDS = ("Website", "Relaunch", "Wartung", "Lizenz", "Beratung", "Schulung", "Umzug",
         "Messestand", "Katalog", "Server", "Lieferung", "Dachsanierung", "Küche", "Fenster")


def seeded_path(items: int) -> Path:
    version = max(v for v, _sql in available_migrations())
    return DATA / f"scale-{items}-v{version}.sqlite3"


async def seeded(items: int) -> Path:
    """The path of a database with `items` items, seeding it first if needed."""
    path = seeded_path(items)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"scale-{items}-v*.sqlite3*"):
        old.unlink()
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    db = Database(partial)
    await db.open()  # the schema, by the bot's own migrations
    await db.close()
    await asyncio.to_thread(_seed, partial, items)
    partial.rename(path)
    return path


def _seed(path: Path, items: int) -> None:
    rng = random.Random(items)
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=OFF")
        stages = _stages(conn)
        _staff(conn)
        contacts = max(1, items // 2)
        companies = max(1, items // 10)
        _insert(conn, "companies", ("id", "name", "phone", "email", "created_at"),
                ((n, f"{rng.choice(LAST)} {rng.choice(WORDS)} GmbH", f"+49 30 {n:07d}",
                  f"info{n}@firma{n}.de", _ts(START)) for n in range(1, companies + 1)))
        _insert(conn, "contacts", ("id", "name", "phone", "email", "company_id", "created_at"),
                ((n, f"{rng.choice(FIRST)} {rng.choice(LAST)}", f"+49 171 {n:07d}",
                  f"kontakt{n}@example.de", rng.randint(1, companies) if n % 3 == 0 else None,
                  _ts(START)) for n in range(1, contacts + 1)))
        _insert(conn, "items", _ITEM_COLUMNS, _items(rng, items, contacts, stages))
        _insert(conn, "stage_history", ("id", "item_id", "from_stage_id", "to_stage_id",
                                        "by_user_id", "at"), _history(conn))
        _insert(conn, "rule_runs", _RUN_COLUMNS, _runs(conn))
        _insert(conn, "outbox", _OUTBOX_COLUMNS, _outbox(conn))
        _insert(conn, "processed_updates", ("update_id", "at"),
                ((n, _ts(START + timedelta(minutes=n))) for n in range(1, items + 1)))
        _insert(conn, "activities", ("item_id", "kind", "subject", "deadline", "assignee_id",
                                     "done", "created_at"),
                ((n, "call", f"Rückruf {n}", _ts(START + timedelta(hours=n % 20_000)),
                  SELLERS[n % len(SELLERS)], int(n % 3 != 0), _ts(START))
                 for n in range(2, items + 1, 2)))
        _insert(conn, "timeline", ("item_id", "at", "kind", "text"),
                ((n, _ts(START), "client_message", f"Guten Tag, ich interessiere mich für {n}")
                 for n in range(4, items + 1, 4)))
        conn.execute("PRAGMA optimize")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


_ITEM_COLUMNS = ("id", "type_code", "pipeline_id", "stage_id", "title", "amount_minor",
                 "currency", "contact_id", "responsible_id", "closed", "created_by",
                 "created_at", "updated_at", "stage_entered_at")
_RUN_COLUMNS = ("id", "item_id", "rule_title", "rule_kind", "stage_id", "entry_id", "position",
                "execution", "state", "due_at", "created_at", "started_at", "finished_at")
_OUTBOX_COLUMNS = ("run_id", "dedupe_key", "chat_id", "kind", "payload", "state", "attempts",
                   "next_attempt_at", "created_at", "sent_at")


def _stages(conn: sqlite3.Connection) -> dict[str, list[tuple[int, int, bool]]]:
    """Per type (deal, lead): (pipeline id, stage id, final) of its default pipeline."""
    found: dict[str, list[tuple[int, int, bool]]] = {}
    for type_code in ("deal", "lead"):
        found[type_code] = [(row[0], row[1], row[2] != "progress") for row in conn.execute(
            "SELECT p.id, s.id, s.kind FROM pipelines p JOIN stages s ON s.pipeline_id = p.id"
            " WHERE p.type_code = ? AND p.is_default = 1 ORDER BY s.position", (type_code,))]
    return found


def _staff(conn: sqlite3.Connection) -> None:
    rows = [(ADMIN_ID, "Ada Admin", "admin")] + [
        (user_id, f"{FIRST[user_id % 20]} {LAST[user_id % 20]}", "sales") for user_id in SELLERS]
    conn.executemany("INSERT INTO staff (user_id, name, role, language, joined_at)"
                     " VALUES (?, ?, ?, 'de', ?)", [(*row, _ts(START)) for row in rows])
    conn.commit()


def _items(rng: random.Random, items: int, contacts: int,
           stages: dict[str, list[tuple[int, int, bool]]]) -> Iterator[tuple[Any, ...]]:
    for n in range(1, items + 1):
        type_code = "lead" if n % 5 == 0 else "deal"
        pipeline, stage, final = rng.choice(stages[type_code])
        created = _ts(START + timedelta(minutes=n))
        responsible = None if n % 10 == 0 else SELLERS[n % len(SELLERS)]
        yield (n, type_code, pipeline, stage, f"{rng.choice(WORDS)} {rng.choice(LAST)} {n}",
               rng.randint(1_000, 5_000_000), "EUR", 1 + n % contacts, responsible, int(final),
               responsible, created, created, created)


def _history(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """Created in the pipeline's first stage, moved twice, ending in the item's stage."""
    firsts = {row[0]: row[1] for row in conn.execute(
        "SELECT pipeline_id, MIN(id) FROM stages GROUP BY pipeline_id")}
    row_id = 0
    for item_id, pipeline, stage, created in conn.execute(
            "SELECT id, pipeline_id, stage_id, created_at FROM items ORDER BY id"):
        first = firsts[pipeline]
        for from_stage, to_stage in ((None, first), (first, first + 1), (first + 1, stage)):
            row_id += 1
            yield row_id, item_id, from_stage, to_stage, SELLERS[item_id % len(SELLERS)], created


def _runs(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    """One run on the entry before the last, two on the last (the card shows those)."""
    run_id = 0
    for item_id, entry_id, stage, at in conn.execute(
            "SELECT item_id, id, to_stage_id, at FROM stage_history WHERE id % 3 != 1"
            " ORDER BY id"):
        for position in (1, 2) if entry_id % 3 == 0 else (1,):
            run_id += 1
            yield (run_id, item_id, f"Rule {position}", "notify_responsible", stage, entry_id,
                   position, "independent", "done", at, at, at, at)


def _outbox(conn: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    for run_id, item_id, at in conn.execute(
            "SELECT id, item_id, created_at FROM rule_runs WHERE entry_id % 3 = 0 ORDER BY id"):
        yield (run_id, f"run:{run_id}:1", SELLERS[item_id % len(SELLERS)], "message",
               '{"text": "Neu: Auftrag"}', "sent", 1, at, at, at)


def _insert(conn: sqlite3.Connection, table: str, columns: tuple[str, ...],
            rows: Iterable[tuple[Any, ...]]) -> None:
    sql = (f"INSERT INTO {table} ({', '.join(columns)})"
           f" VALUES ({', '.join('?' * len(columns))})")
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        conn.executemany(sql, chunk)
        conn.commit()


def _ts(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")  # as crm.storage.codec.ts writes it
