"""Dialogs survive restarts and move between processes (issue 13): the /new dialog begun on
one bot is finished on another on the same database — two webhook workers behind one URL,
each step going to the other — or after a restart; the same through Redis (REDIS_URL)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from redis.asyncio import Redis

from bot.app import CrmBot, create_app
from bot.telegram.webhook import run_webhook
from crm.clock import FrozenClock
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.journeys.bot_processes import free_port
from tests.journeys.conftest import make_settings, start_bot, unpaced
from tests.journeys.steps import admin, all_items, press, say

REDIS_URL = "redis://127.0.0.1:6379/13"


@dataclass
class Worker:
    """One bot serving the webhook on a port of its own, as a process behind a proxy."""

    app: CrmBot
    serving: asyncio.Task[None]
    url: str

    async def stop(self) -> None:
        self.serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.serving
        await self.app.close()


async def worker(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock, **extra: Any) -> Worker:
    port = free_port()
    settings = make_settings(tg, tg.base_url or "", tmp_path, webhook_url="https://crm.example",
                             webhook_listen_host="127.0.0.1", webhook_listen_port=port, **extra)
    app = await create_app(settings, clock=clock, pacer=unpaced())
    return Worker(app, asyncio.create_task(run_webhook(app)), f"http://127.0.0.1:{port}")


@pytest.fixture
async def two_workers(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock,
                      request: pytest.FixtureRequest) -> AsyncIterator[tuple[Worker, Worker]]:
    extra: dict[str, Any] = getattr(request, "param", {})
    one = await worker(tg, tmp_path, clock, **extra)
    two = await worker(tg, tmp_path, clock, **extra)
    tg.push_to_webhook([one.url, two.url])  # round robin: each update to the other
    yield one, two
    await one.stop()
    await two.stop()


async def new_deal_by_dialog(tg: FakeTelegram, ada: FakeUser) -> str:
    """/new → Deal → title → amount → contact; the card the dialog ends with."""
    question = await say(tg, ada, "/new")
    assert question.rendered == "What would you like to create?"
    toast = await press(tg, ada, question, "Deal")
    assert toast.text is None, toast
    assert question.rendered.startswith("Title of the new item?")
    assert (await say(tg, ada, "Website relaunch")).rendered.startswith("Amount?")
    assert (await say(tg, ada, "15.000 EUR")).rendered.startswith("Contact name?")
    return (await say(tg, ada, "Anna Schmidt")).rendered


async def each_by_the_other(tg: FakeTelegram, workers: tuple[Worker, Worker]) -> list[int]:
    """Which worker (0, 1) answered each update, in order (once the last one is answered),
    if each went to the other worker than the one before; else fails."""
    await tg.wait_until_idle()
    urls = [d.url for d in tg.webhook_deliveries if d.ok]
    served = [next(n for n, w in enumerate(workers) if url.startswith(w.url)) for url in urls]
    assert all(one != next_one for one, next_one in pairwise(served)), served
    return served


async def dialog_rows(tg: FakeTelegram, app: CrmBot) -> int:
    """Open dialogs in the database, once the update in hand is handled."""
    await tg.wait_until_idle()
    [(count,)] = await app.db.conn.execute_fetchall("SELECT count(*) FROM dialog_states")
    return int(count)


async def test_each_step_of_a_dialog_on_the_other_process(
        tg: FakeTelegram, two_workers: tuple[Worker, Worker]) -> None:
    ada = await admin(tg)
    card = await new_deal_by_dialog(tg, ada)
    assert "Deal #1 · Website relaunch" in card and "Contact: Anna Schmidt" in card
    assert len(await each_by_the_other(tg, two_workers)) == 6  # /start, /new, Deal, 3 answers
    [item] = await all_items(two_workers[0].app)
    assert (item.title, str(item.amount), item.contact_id is not None) == (
        "Website relaunch", "15000.00", True)
    assert await dialog_rows(tg, two_workers[1].app) == 0  # the dialog ended: no row is left


async def test_an_open_dialog_survives_a_restart(tg: FakeTelegram, tmp_path: Path,
                                                 clock: FrozenClock) -> None:
    settings = make_settings(tg, tg.base_url or "", tmp_path)
    first = await start_bot(settings, clock)
    ada = await admin(tg)
    question = await say(tg, ada, "/new")
    await press(tg, ada, question, "Deal")
    assert (await say(tg, ada, "Website relaunch")).rendered.startswith("Amount?")
    assert await dialog_rows(tg, first.app) == 1
    await first.stop()
    again = await start_bot(settings, clock)  # a new process on the same file
    try:
        assert (await say(tg, ada, "900")).rendered.startswith("Contact name?")
        card = (await say(tg, ada, "Hafen GmbH")).rendered
        assert "Deal #1 · Website relaunch" in card and "Contact: Hafen GmbH" in card
        assert await dialog_rows(tg, again.app) == 0
    finally:
        await again.stop()


PREFIX = f"test-dialogs-{uuid.uuid4().hex}"


@pytest.fixture
async def redis_keys() -> AsyncIterator[Redis]:
    """This test's keys in Redis (a prefix of its own), removed afterwards."""
    redis = Redis.from_url(REDIS_URL)
    yield redis
    async for key in redis.scan_iter(f"{PREFIX}*"):
        await redis.delete(key)
    await redis.aclose()


@pytest.mark.parametrize("two_workers", [{"redis_url": REDIS_URL, "redis_key_prefix": PREFIX}],
                         indirect=True)
async def test_through_redis_a_dialog_moves_between_processes(
        tg: FakeTelegram, redis_keys: Redis, two_workers: tuple[Worker, Worker]) -> None:
    ada = await admin(tg)
    question = await say(tg, ada, "/new")
    await press(tg, ada, question, "Deal")
    bot_id = tg.bot_id
    await tg.wait_until_idle()  # the press handled, its lock released
    assert sorted(k.decode() for k in await redis_keys.keys(f"{PREFIX}*")) == [
        f"{PREFIX}:{bot_id}:{ADMIN_ID}:{ADMIN_ID}:default:data",
        f"{PREFIX}:{bot_id}:{ADMIN_ID}:{ADMIN_ID}:default:state"]
    assert await dialog_rows(tg, two_workers[0].app) == 0  # not in the database
    assert (await say(tg, ada, "Website relaunch")).rendered.startswith("Amount?")
    assert (await say(tg, ada, "15.000 EUR")).rendered.startswith("Contact name?")
    card = (await say(tg, ada, "Anna Schmidt")).rendered
    assert "Deal #1 · Website relaunch" in card and "Contact: Anna Schmidt" in card
    assert len(await each_by_the_other(tg, two_workers)) == 6
    assert await redis_keys.keys(f"{PREFIX}*") == []  # the dialog ended


@pytest.mark.parametrize("two_workers", [{"redis_url": REDIS_URL, "redis_key_prefix": PREFIX}],
                         indirect=True)
async def test_through_redis_one_user_is_handled_by_one_process_at_a_time(
        tg: FakeTelegram, redis_keys: Redis, two_workers: tuple[Worker, Worker]) -> None:
    one, two = (w.app.dp.fsm.events_isolation for w in two_workers)
    ada = StorageKey(bot_id=tg.bot_id, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    sam = StorageKey(bot_id=tg.bot_id, chat_id=2002, user_id=2002)
    async with one.lock(ada):  # process 1 handles an update of Ada's
        async with asyncio.timeout(2), two.lock(sam):
            pass  # another user's goes on at once on process 2
        waiting = asyncio.create_task(_hold(two, ada))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # Ada's next update waits on process 2
    async with asyncio.timeout(5):
        await waiting
    assert await redis_keys.keys(f"{PREFIX}*") == []  # the locks are gone


async def _hold(isolation: Any, key: StorageKey) -> None:
    async with isolation.lock(key):
        pass
