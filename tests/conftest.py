"""Shared fixtures: a real SQLite file per test (or a PostgreSQL database, see databases.py),
a clock tests move by hand, a fake Telegram Bot API server and a real SMTP server, both on
loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.models import Role, Staff
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from tests.databases import database_location, drop_created
from tests.fake_telegram import FakeTelegram
from tests.smtp_server import Mailbox, SmtpServer

ADMIN_ID = 1001
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday morning


def pytest_sessionfinish() -> None:
    drop_created()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def tg() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def smtp() -> AsyncIterator[SmtpServer]:
    server = SmtpServer(Mailbox(), 0)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(database_location(tmp_path))
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def services(db: Database, clock: FrozenClock) -> CrmServices:
    return build_services(db, clock, admin_ids=[ADMIN_ID])


@pytest.fixture
async def admin(services: CrmServices) -> Staff:
    staff = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
    assert staff is not None
    return staff


async def add_staff(services: CrmServices, admin: Staff, user_id: int, role: Role) -> Staff:
    invite = await services.staff.create_invite(admin, role)
    return await services.staff.join(TelegramUser(user_id, f"User {user_id}"), invite.code)
