"""Webhook delivery through the fake's reverse proxy: updates go round robin to the
upstreams with the secret header; a refused connection or a 5xx goes on to the next
upstream; an update is forgotten once one answered 200, and kept while none does."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiogram import Bot
from aiohttp import web

from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.updates import Signal

PATH = "/telegram/webhook"


@dataclass
class Upstream:
    """A stand-in for one bot process: records the updates it got, answers `status`."""

    status: int = 200
    got: list[tuple[int, str]] = field(default_factory=list)  # (update_id, secret header)
    url: str = ""
    runner: web.AppRunner | None = None
    arrived: Signal = field(default_factory=Signal)

    async def handle(self, request: web.Request) -> web.Response:
        update: dict[str, Any] = await request.json()
        self.got.append((update["update_id"],
                         request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")))
        self.arrived.fire()
        return web.json_response({}, status=self.status)

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(PATH, self.handle)
        self.runner = web.AppRunner(app, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


def closed_port() -> str:
    """The address of a port nobody listens on (connections are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture
async def upstreams() -> AsyncIterator[list[Upstream]]:
    servers = [Upstream(), Upstream()]
    for server in servers:
        await server.start()
    yield servers
    for server in servers:
        await server.stop()


async def delivered(tg: FakeTelegram) -> None:
    """Until every update was answered 200 by an upstream."""
    await tg.wait_until_idle(timeout=5, quiet=0.05)
    assert tg.pending_updates == []


async def test_updates_go_round_robin_with_the_secret(
        tg: FakeTelegram, bot: Bot, upstreams: list[Upstream]) -> None:
    first, second = upstreams
    tg.push_to_webhook([first.url, second.url])
    await bot.set_webhook("https://crm.example.com" + PATH, secret_token="s3cret")
    for number in range(4):
        tg.user(6000 + number).send("hello")  # four chats: no order to keep between them
    await delivered(tg)
    assert len(first.got) == len(second.got) == 2
    assert {secret for _id, secret in first.got + second.got} == {"s3cret"}
    assert all(d.url.endswith(PATH) and d.ok for d in tg.webhook_deliveries)


async def test_a_refused_connection_or_a_5xx_goes_to_the_next_upstream(
        tg: FakeTelegram, bot: Bot, upstreams: list[Upstream]) -> None:
    failing, healthy = upstreams
    failing.status = 502
    down = closed_port()
    tg.push_to_webhook([down, failing.url, healthy.url])
    await bot.set_webhook("https://crm.example.com" + PATH)
    ids = [tg.user(6000 + number).send("hello") for number in range(3)]
    await delivered(tg)
    assert sorted(update_id for update_id, _secret in healthy.got) == ids  # each once
    outcomes = {d.outcome for d in tg.webhook_deliveries}
    assert outcomes == {"ClientConnectorError", 502, 200}


async def test_an_update_nobody_takes_is_tried_again_later_and_kept(
        tg: FakeTelegram, bot: Bot, upstreams: list[Upstream]) -> None:
    only = upstreams[0]
    only.status = 500
    tg.push_to_webhook([only.url])
    await bot.set_webhook("https://crm.example.com" + PATH)
    update_id = tg.user(6000).send("hello")
    async with asyncio.timeout(5):
        while len(only.got) < 3:
            await only.arrived.wait(5)
    assert [u["update_id"] for u in tg.pending_updates] == [update_id]
    only.status = 200
    await delivered(tg)
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_one_chat_gets_its_updates_one_at_a_time_in_order(
        tg: FakeTelegram, bot: Bot, upstreams: list[Upstream]) -> None:
    tg.push_to_webhook([u.url for u in upstreams])
    await bot.set_webhook("https://crm.example.com" + PATH)
    user = tg.user(6000)
    ids = [user.send(f"message {number}") for number in range(6)]
    await delivered(tg)
    arrivals = [d.update_id for d in tg.webhook_deliveries]
    assert arrivals == ids


async def test_without_upstreams_the_update_goes_to_the_webhook_url(
        tg: FakeTelegram, bot: Bot, upstreams: list[Upstream]) -> None:
    tg.push_to_webhook()
    await bot.set_webhook(upstreams[1].url + PATH)
    update_id = tg.user(6000).send("hello")
    await delivered(tg)
    assert upstreams[1].got == [(update_id, "")] and upstreams[0].got == []


async def test_deleting_the_webhook_leaves_updates_to_get_updates(
        tg: FakeTelegram, bot: Bot, upstreams: list[Upstream]) -> None:
    tg.push_to_webhook([upstreams[0].url])
    await bot.set_webhook("https://crm.example.com" + PATH)
    await bot.delete_webhook()
    update_id = tg.user(6000).send("hello")
    await asyncio.sleep(0.3)
    assert upstreams[0].got == []
    assert [u.update_id for u in await bot.get_updates(timeout=0)] == [update_id]
