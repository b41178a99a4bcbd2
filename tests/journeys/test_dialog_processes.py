"""A dialog begun on one process is finished on the other (issue 13): two real `python -m
bot` processes in webhook mode on one database, behind the fake Bot API's round-robin
proxy, so each step of /new reaches the other process than the step before."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import ADMIN_ID
from tests.databases import database_env, database_location, query
from tests.fake_telegram import FakeTelegram
from tests.journeys.bot_processes import free_port
from tests.journeys.steps import admin, press, say
from tests.rules.conftest import TEMPLATES


@pytest.fixture
async def two_processes(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[list[str]]:
    """Their webhook addresses, once both listen and the webhook is set; both stopped with
    SIGTERM at the end (killed if stuck)."""
    ports = [free_port(), free_port()]
    processes = []
    for port in ports:
        env = {"BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.base_url or "",
               **database_env(database_location(tmp_path)), "ADMIN_IDS": str(ADMIN_ID),
               "DEFAULT_RULES": "false", "DEFAULT_LANGUAGE": "en",
               "TEMPLATES_DIR": str(TEMPLATES), "DATA_DIR": str(tmp_path / "data"),
               "LOG_LEVEL": "WARNING", "WEBHOOK_URL": "https://crm.example",
               "DIGEST_TIME": "",  # no digest by the real clock (bot_processes.py)
               "WEBHOOK_LISTEN_HOST": "127.0.0.1", "WEBHOOK_LISTEN_PORT": str(port)}
        processes.append(await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=tmp_path, env={**os.environ, **env},
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL))
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        await tg.wait_for_call("setWebhook", since=0, timeout=60)
        for port in ports:
            await listening(port)
        tg.push_to_webhook(urls)
        yield urls
    finally:
        for process in processes:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


async def listening(port: int, timeout: float = 60) -> None:  # noqa: ASYNC109 - bounded
    async with asyncio.timeout(timeout):
        while True:
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            await writer.wait_closed()
            return


async def test_a_dialog_begun_on_one_process_is_finished_on_the_other(
        tg: FakeTelegram, tmp_path: Path, two_processes: list[str]) -> None:
    ada = await admin(tg)
    question = await say(tg, ada, "/new")
    assert (await press(tg, ada, question, "Deal")).text is None
    assert (await say(tg, ada, "Website relaunch")).rendered.startswith("Amount?")
    assert (await say(tg, ada, "15.000 EUR")).rendered.startswith("Contact name?")
    card = (await say(tg, ada, "Anna Schmidt")).rendered
    assert "Deal #1 · Website relaunch" in card and "Contact: Anna Schmidt" in card
    await tg.wait_until_idle()
    steps = [d.url for d in tg.webhook_deliveries if d.ok]
    by = [next(n for n, url in enumerate(two_processes) if step.startswith(url)) for step in steps]
    assert len(by) == 6 and all(one != then for one, then in pairwise(by)), by
    location = database_location(tmp_path)
    assert query(location, "SELECT title FROM items") == [("Website relaunch",)]
    assert query(location, "SELECT count(*) FROM dialog_states") == [(0,)]
