"""A PostgreSQL database made with the "C" locale (initdb's default where no locale is set)
searches Cyrillic and Greek names as words all the same: to "C" only ASCII letters are
letters, so the search tables' word bounds (migration 030) classify by Unicode instead."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import psycopg
import pytest

from crm.clock import FrozenClock
from crm.container import build_services
from crm.queries import ItemQuery
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from tests.conftest import ADMIN_ID, START
from tests.databases import SERVER_URL, postgresql_only, url_of

pytestmark = postgresql_only


@pytest.fixture
async def c_locale_database() -> AsyncIterator[str]:
    name = f"crm_test_c_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER_URL, autocommit=True) as server:
        server.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'"
                       " LC_COLLATE 'C' LC_CTYPE 'C'")
    try:
        yield url_of(name)
    finally:
        with psycopg.connect(SERVER_URL, autocommit=True) as server:
            server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


async def test_a_c_locale_database_finds_names_beyond_latin(c_locale_database: str) -> None:
    db = Database(c_locale_database)
    await db.open()
    try:
        services = build_services(db, FrozenClock(START), admin_ids=[ADMIN_ID])
        admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
        assert admin is not None
        russian, greek = "Поставка Дмитрий Иванов", "Γιώργος Müller-Lüdenscheidt"
        await services.items.create(admin, NewItem("deal", russian))
        await services.items.create(admin, NewItem("deal", greek))
        for text, title in (("дми", russian), ("иванов", russian), ("γιώρ", greek),
                            ("lüdensch", greek)):
            page = await services.items.page(admin, ItemQuery(text=text))
            assert [i.title for i in page.items] == [title], text
        page = await services.items.page(admin, ItemQuery(text="итрий"))
        assert page.items == []
    finally:
        await db.close()
