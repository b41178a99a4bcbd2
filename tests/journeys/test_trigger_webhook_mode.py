"""In webhook mode the bot's own aiohttp server also serves webhook triggers: a call with
a wrong signature is refused with 403 and changes nothing, a signed one moves the deal."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp

from bot.app import create_app
from bot.telegram.webhook import run_webhook
from crm.clock import FrozenClock
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from rules.triggers.model import TriggerEvent
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.bot_processes import free_port
from tests.journeys.conftest import make_settings


async def answered(url: str) -> None:
    """Until the server accepts connections."""
    async with aiohttp.ClientSession() as http:
        for _attempt in range(100):
            try:
                async with http.get(url):
                    return
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never answered")


async def test_the_webhook_server_serves_signed_trigger_urls(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = await create_app(make_settings(tg, tg.base_url or "", tmp_path, webhook_url=base,
                                         webhook_listen_host="127.0.0.1",
                                         webhook_listen_port=port), clock=clock)
    server = asyncio.create_task(run_webhook(app))
    try:
        await answered(base + "/")
        ada = await app.services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
        assert ada is not None
        deal = await app.services.items.create(ada, NewItem("deal", "Relaunch"))
        _pipeline, stages = await app.services.catalog.pipeline(deal.pipeline_id)
        won = next(s for s in stages if s.code == "won")
        trigger = await app.dp["workflow"].trigger_admin.add(ada, won.id, TriggerEvent.WEBHOOK)
        path = await app.dp["workflow"].triggers.webhook_url_path(ada, trigger.id, deal.id)
        url = app.dp["trigger_hooks"].url(path)
        assert url.startswith(f"{base}/hooks/trigger/{trigger.id}/{deal.id}/")
        async with aiohttp.ClientSession() as http:
            forged = url[:-1] + ("1" if url.endswith("0") else "0")
            async with http.post(forged) as refused:
                assert refused.status == 403
            assert (await app.services.items.get(ada, deal.id)).stage_id == deal.stage_id
            async with http.post(url) as accepted:
                assert accepted.status == 200 and (await accepted.json())["moved"] is True
        assert (await app.services.items.get(ada, deal.id)).stage_id == won.id
        assert tg.calls_to("setWebhook")[-1].params["url"] == base + "/telegram/webhook"
    finally:
        server.cancel()
        await asyncio.gather(server, return_exceptions=True)
        await app.close()
