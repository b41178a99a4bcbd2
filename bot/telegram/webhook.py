"""Webhook mode for production: an aiohttp server that Telegram posts updates to."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

if TYPE_CHECKING:
    from bot.app import CrmBot

WEBHOOK_PATH = "/telegram/webhook"


async def run_webhook(app: CrmBot) -> None:
    settings = app.settings
    secret = settings.webhook_secret.get_secret_value() or None
    web_app = web.Application()
    # Telegram gets its answer once the update was handled (its effect committed): a
    # process killed before that leaves the update to Telegram's re-delivery.
    SimpleRequestHandler(dispatcher=app.dp, bot=app.bot, secret_token=secret,
                         handle_in_background=False).register(web_app, path=WEBHOOK_PATH)
    setup_application(web_app, app.dp, bot=app.bot)
    web_app.add_routes(app.dp["trigger_hooks"].routes())  # incoming webhook triggers
    if settings.webapp_url:
        web_app.add_routes(app.dp["board_web"].routes())  # the board: page and API
    url = settings.webhook_url.rstrip("/") + WEBHOOK_PATH

    async def set_webhook() -> None:
        await app.bot.set_webhook(url, secret_token=secret, drop_pending_updates=False)

    # Every process serves the URL; the leader tells Telegram (bot/cluster/leader.py), once
    # the server's start-up made it lead.
    app.parts.leadership.add_duty("webhook", set_webhook)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_listen_host, settings.webhook_listen_port)
    await site.start()
    try:
        await asyncio.Event().wait()  # until cancelled (Ctrl-C / SIGTERM)
    finally:
        await runner.cleanup()
