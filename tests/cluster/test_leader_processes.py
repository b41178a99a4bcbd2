"""Two real bot processes (`python -m bot`, webhook mode, each on a port of its own) on one
database against the fake Bot API: only the leader runs the once-only jobs (counted at
the fake: setWebhook, setMyCommands) and sends; when it is SIGKILLed the other takes over
within a few seconds and delivers a rule message queued after the kill; when it is stopped
with SIGTERM the other takes over at once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from crm.clock import SystemClock
from crm.container import CrmServices, build_services
from crm.models import Contact, Staff
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from rules.model import Rule
from tests.conftest import ADMIN_ID
from tests.databases import database_env, database_location
from tests.fake_telegram import FakeTelegram
from tests.rules.conftest import TEMPLATES, RecordingTransport, build_test_automation

CLIENT = 4242
ROOT = Path(__file__).resolve().parents[2]  # the processes run this tree's code
ONCE_ONLY = ("setWebhook", "setMyCommands")


@dataclass
class Bot:
    process: asyncio.subprocess.Process
    url: str


@dataclass
class Cluster:
    tg: FakeTelegram
    db_path: str | Path  # a SQLite file or a PostgreSQL URL
    workdir: Path
    bots: list[Bot]

    async def start(self) -> Bot:
        """One more process; returns once it serves (its start-up is done)."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "BOT_TOKEN": self.tg.token,
               "TELEGRAM_API_BASE": self.tg.base_url or "", **database_env(self.db_path),
               "ADMIN_IDS": str(ADMIN_ID), "DEFAULT_RULES": "false",
               "TEMPLATES_DIR": str(TEMPLATES), "DATA_DIR": str(self.workdir / "data"),
               "LOG_LEVEL": "WARNING", "WEBHOOK_URL": url,
               "WEBHOOK_LISTEN_HOST": "127.0.0.1", "WEBHOOK_LISTEN_PORT": str(port),
               "DIGEST_TIME": ""}  # no morning digest by the real clock
        log = self.workdir / f"bot{len(self.bots)}.stderr"
        with log.open("wb") as stderr:  # the child keeps its own copy of the descriptor
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self.workdir, env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=stderr)
        bot = Bot(process, url)
        self.bots.append(bot)
        await _serving(bot, log)
        return bot

    def calls(self, method: str) -> int:
        return len(self.tg.calls_to(method))

    async def taken_over(self, since: int) -> float:
        """When (monotonic) a new leader ran its first once-only job after tg.calls[since]."""
        call = await self.tg.wait_for_call(
            "setMyCommands", timeout=10, since=since)  # the first job that calls Telegram
        return call.at


@pytest.fixture
async def cluster(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[Cluster]:
    tg.user(CLIENT, "Carl")
    db_path = database_location(tmp_path)
    running = Cluster(tg, db_path, tmp_path, [])
    yield running
    for bot in running.bots:
        if bot.process.returncode is None:
            bot.process.kill()
            await bot.process.wait()


async def _serving(bot: Bot, log: Path) -> None:
    async with aiohttp.ClientSession() as http:
        for _attempt in range(1200):  # 60 s: aiogram's import is slow on a busy machine
            if bot.process.returncode is not None:
                break
            try:
                async with http.get(bot.url + "/"):
                    return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
    problem = log.read_text(errors="replace")  # noqa: ASYNC240 - a small file, on failure
    raise AssertionError(f"{bot.url} never answered:\n{problem}")


async def _database(db_path: str | Path) -> tuple[Database, CrmServices]:
    """The test's own connection to the database, as a third process would have."""
    db = Database(db_path)
    await db.open()
    return db, build_services(db, SystemClock(), admin_ids=[ADMIN_ID])


async def _rule_and_deal(services: CrmServices) -> tuple[Staff, int]:
    """A rule thanking the client on "won", and a deal of theirs not yet won: the admin
    and the deal's id."""
    automation = build_test_automation(services, RecordingTransport())  # plans, never sends
    admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
    assert admin is not None
    won = next(s for s in (await services.catalog.pipeline(2))[1] if s.code == "won")
    await automation.rules.add(admin, Rule(0, "", 0, won.id, 0, "Thank", "message_client",
                                           {"text": "Thank you!"}))
    async with services.uow() as uow:
        contact = await uow.clients.add_contact(Contact(0, "Carl", tg_chat_id=CLIENT),
                                                services.clock.now())
        await uow.commit()
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      contact_id=contact.id))
    return admin, deal.id


async def _win(services: CrmServices, admin: Staff, deal_id: int) -> None:
    won = next(s for s in (await services.catalog.pipeline(2))[1] if s.code == "won")
    await services.items.move(admin, deal_id, won.id)  # the run is planned, committed here


async def _two_with_one_leading(cluster: Cluster) -> Bot:
    first = await cluster.start()
    await cluster.tg.wait_for_call("setWebhook", timeout=10, since=0)
    counts = [cluster.calls(method) for method in ONCE_ONLY]
    await cluster.start()
    await asyncio.sleep(2.5)  # two rounds of the second trying for the lease, and more
    assert [cluster.calls(method) for method in ONCE_ONLY] == counts  # not run again
    assert counts[0] == 1 and counts[1] >= 1
    return first


async def test_only_the_leader_runs_once_only_jobs_and_a_killed_one_is_replaced(
        cluster: Cluster) -> None:
    db, services = await _database(cluster.db_path)
    try:
        admin, deal_id = await _rule_and_deal(services)
        leader = await _two_with_one_leading(cluster)
        commands, since = cluster.calls("setMyCommands"), len(cluster.tg.calls)

        leader.process.send_signal(signal.SIGKILL)
        await leader.process.wait()
        killed = time.monotonic()
        await _win(services, admin, deal_id)  # queued after the kill, by yet another connection
        await cluster.tg.wait_for_message(CLIENT, lambda m: m.rendered == "Thank you!",
                                          timeout=15, since=0)
        # this host knows the killed pid is gone: no lease to wait out
        assert await cluster.taken_over(since) - killed < 3.0
        await cluster.tg.wait_for_call("setWebhook", timeout=10, since=since)
        assert cluster.calls("setWebhook") == 2  # the new leader's once-only jobs
        assert cluster.calls("setMyCommands") == 2 * commands
        await cluster.tg.wait_until_idle(timeout=5, quiet=0.5)
        assert sum(m.rendered == "Thank you!" for m in cluster.tg.messages_to(CLIENT)) == 1
    finally:
        await db.close()


async def test_a_leader_stopped_with_sigterm_is_replaced_at_once(cluster: Cluster) -> None:
    leader = await _two_with_one_leading(cluster)
    since = len(cluster.tg.calls)
    leader.process.send_signal(signal.SIGTERM)
    stopped = time.monotonic()
    assert await cluster.taken_over(since) - stopped < 2.0
    await cluster.tg.wait_for_call("setWebhook", timeout=10, since=since)
    await asyncio.wait_for(leader.process.wait(), 15)
    assert cluster.calls("setWebhook") == 2
