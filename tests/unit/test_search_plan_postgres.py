"""PostgreSQL's search (issue 14) reads the search tables through their indexes: every search
statement the services send, on search tables of 20,000 rows, is planned as a Bitmap Index
Scan on a gin index (trigrams), or as scans of item_search_words' key (an item search's
first word, search_words.py), never a Seq Scan. (SQLite's plans: test_query_plans.py.)"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import pytest

from crm.container import CrmServices
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from crm.storage.postgres.connection import PostgresConnection
from crm.storage.postgres.search import fold
from tests.conftest import add_staff
from tests.databases import postgresql_only

pytestmark = postgresql_only

ROWS = 20_000
_SEARCH_TABLE = re.compile(
    r"\b(item_search|contact_search|company_search|item_search_words)\b")
# Search rows of their own (no items or contacts behind them): the plan is of the search
# table, and filling it through the triggers would take the test ten times as long.
FILL = [
    """INSERT INTO contact_search (rowid, name, email, phone, digits)
       SELECT 1000 + n, 'Person ' || n || ' Müller' || n, 'p' || n || '@example.org',
              '+49 30 ' || (1000000 + n), crm_phone_digits('+49 30 ' || (1000000 + n))
       FROM generate_series(1, ?) n""",
    """INSERT INTO company_search (rowid, name, email, phone, digits)
       SELECT 1000 + n, 'Firma ' || n || ' GmbH', 'f' || n || '@example.org', NULL, ''
       FROM generate_series(1, ?) n""",
    """INSERT INTO item_search (rowid, title, client, digits, owner)
       SELECT 1000 + n, 'Deal ' || n || ' Küche', 'Person ' || n, '', 'r' || (n % 7)
       FROM generate_series(1, ?) n""",
]


async def test_searches_read_the_trigram_indexes(
        services: CrmServices, admin: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    anna = await services.clients.create_contact(admin, "Jürgen Zyxwerk", "+49 171 5550123",
                                                 company_name="Zyxwerk AG")
    await services.items.create(sam, NewItem("deal", "Dachsanierung", contact_id=anna.id))
    async with services.uow() as uow:
        for sql in FILL:
            await uow.conn.execute(sql, (ROWS,))
        await uow.conn.execute("ANALYZE contact_search, company_search, item_search,"
                                   " item_search_words")
        await uow.commit()
    paths: dict[str, Callable[[], Awaitable[object]]] = {
        "items": partial(services.items.page, admin, ItemQuery(text="zyxwerk")),
        "items of a salesperson": partial(services.items.page, sam, ItemQuery(text="dachs")),
        "items by phone": partial(services.items.page, admin, ItemQuery(text="0171 555 0123")),
        "find": partial(services.clients.find, admin, "zyxw"),
        "contact list": partial(services.contacts.page, admin, "jürgen zyx"),
        "duplicates": partial(services.duplicates.like, "Jürgen Zyxwerk", "+491715550123"),
    }
    statements: list[tuple[str, list[Any]]] = []
    original = PostgresConnection.execute_fetchall

    async def recording(self: PostgresConnection, sql: str, params: Any = None) -> list[Any]:
        if _SEARCH_TABLE.search(sql):
            statements.append((sql, list(params or ())))
        return await original(self, sql, params)

    offenders = []
    for name, run in paths.items():
        statements.clear()
        with monkeypatch.context() as patch:
            patch.setattr(PostgresConnection, "execute_fetchall", recording)
            await run()
        assert statements, name
        for sql, args in statements:
            async with services.uow(write=False) as uow:
                plan = "\n".join(str(r[0]) for r in await uow.conn.execute_fetchall(
                    f"EXPLAIN {sql}", args))
            tables = set(_SEARCH_TABLE.findall(sql))
            indexed = (r"Index (Only )?Scan (Backward )?(using|on) item_search_words_pkey"
                       if "item_search_words" in tables
                       else r"Bitmap Index Scan on \w+_search_\w+")
            if (any(f"Seq Scan on {table}" in plan for table in tables)
                    or not re.search(indexed, plan)):
                offenders.append(f"{name}: {' '.join(sql.split())}\n{plan}")
    assert offenders == [], "\n\n".join(offenders)


async def test_words_folded_in_python_are_folded_as_the_database_folds(
        services: CrmServices) -> None:
    """The search folds a word itself only where crm_fold (the stored text's fold) gives
    the same: every letter and digit up to U+024F that `fold` answers for."""
    chars = [chr(c) for c in range(0x250) if re.fullmatch(r"[^\W_]", chr(c))]
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            "SELECT c, crm_fold(c) FROM unnest(CAST(? AS TEXT[])) AS c", (chars,))
    known = {str(r[0]): str(r[1]) for r in rows if fold(str(r[0])) is not None}
    assert len(known) > 200  # ASCII, and Latin letters with accents
    assert {c: fold(c) for c in known} == known
