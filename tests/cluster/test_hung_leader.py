"""A leader that hangs (SIGSTOP: alive, its pid still there, its lease not renewed) while it
sends a stream of rule messages: the other process takes the lease once it ends and sends
on; the hung one, resumed (SIGCONT), stops sending at once and gives its claimed rows back.
Every message is delivered exactly once."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from crm.models import Contact
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import is_postgresql
from crm.storage.postgres.database import WRITER_KEY
from rules.model import Rule
from tests.cluster.test_leader_processes import (
    Cluster,
    _database,
    _two_with_one_leading,
    cluster,  # noqa: F401 - the fixture
)
from tests.conftest import ADMIN_ID
from tests.rules.conftest import RecordingTransport, build_test_automation

CHATS = 10
DEALS_EACH = 8


async def until(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:  # noqa: ASYNC110 - polls the fake
        await asyncio.sleep(0.05)


def _writable(db_path: str | Path) -> bool:
    """Whether another connection can take the writers' lock within a second: SQLite's
    file lock, or on PostgreSQL the advisory lock every writing transaction takes."""
    if is_postgresql(db_path):
        with psycopg.connect(str(db_path), autocommit=True) as pg:
            try:
                with pg.transaction():
                    pg.execute("SET LOCAL lock_timeout = '1s'")
                    pg.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_KEY,))
                return True
            except psycopg.errors.LockNotAvailable:
                return False
    conn = sqlite3.connect(db_path, timeout=1.0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


async def hang_outside_a_write(process: asyncio.subprocess.Process,
                               db_path: str | Path) -> None:
    """SIGSTOPs the process at a moment it holds no write transaction. One stopped inside
    its own write holds the writers' lock until it is resumed, and nobody can write in the
    meantime (PostgreSQL ends such a session after its idle-in-transaction timeout, 30 s):
    that is a different test, not this one's hung leader."""
    for _ in range(100):
        process.send_signal(signal.SIGSTOP)
        if await asyncio.to_thread(_writable, db_path):
            return
        process.send_signal(signal.SIGCONT)
        await asyncio.sleep(0.02)
    raise AssertionError("the leader never left its write transaction")


async def test_a_hung_leader_is_replaced_and_when_resumed_sends_nothing_twice(
        cluster: Cluster) -> None:  # noqa: F811 - the fixture imported above
    tg = cluster.tg
    db, services = await _database(cluster.db_path)
    try:
        automation = build_test_automation(services, RecordingTransport())  # plans only
        admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
        assert admin is not None
        won = next(s for s in (await services.catalog.pipeline(2))[1] if s.code == "won")
        await automation.rules.add(admin, Rule(0, "", 0, won.id, 0, "Thank",
                                               "message_client",
                                               {"text": "Thanks for {{ item.title }}"}))
        deals = []
        for chat in range(CHATS):
            client = 5000 + chat
            tg.user(client, f"Client {chat}")
            async with services.uow() as uow:
                contact = await uow.clients.add_contact(
                    Contact(0, f"Client {chat}", tg_chat_id=client), services.clock.now())
                await uow.commit()
            for n in range(DEALS_EACH):
                deal = await services.items.create(admin, NewItem(
                    "deal", f"D{chat}-{n}", contact_id=contact.id))
                deals.append(deal.id)
        leader = await _two_with_one_leading(cluster)
        webhooks = cluster.calls("setWebhook")
        for deal_id in deals:
            await services.items.move(admin, deal_id, won.id)

        def delivered() -> list[str]:
            return [m.rendered for m in tg.sent if m.rendered.startswith("Thanks")]

        await until(lambda: len(delivered()) >= 8, 30)
        assert len(delivered()) >= 8, "the leader never started sending"
        await hang_outside_a_write(leader.process, cluster.db_path)
        before = len(delivered())
        # hung until the other took the lease (≥ 5 s: the lease runs out) and sent
        await asyncio.sleep(5)
        await until(lambda: cluster.calls("setWebhook") > webhooks
                    and len(delivered()) > before, 25)
        during = len(delivered()) - before
        webhooks_during = cluster.calls("setWebhook") - webhooks
        leader.process.send_signal(signal.SIGCONT)
        await until(lambda: len(delivered()) >= len(deals), 40)
        await asyncio.sleep(3)  # anything the resumed one would still send
        texts = delivered()
        twice = sorted({t for t in texts if texts.count(t) > 1})
        assert twice == [] and len(texts) == len(deals), (len(texts), twice)
        assert webhooks_during == 1, "the other process never took the lease"
        assert during > 0, "nothing was sent while the leader hung"
        async with services.uow(write=False) as uow:
            holder = await uow.conn.execute_fetchall(
                "SELECT holder FROM leases WHERE name = 'leader'")
        assert str(leader.process.pid) not in str(list(holder)), holder
        assert leader.process.returncode is None  # resumed and running, not leading
        log = (cluster.workdir / "bot0.stderr").read_text(errors="replace")
        assert "leadership lost (lapsed)" in log, log[-2000:]
    finally:
        await db.close()
