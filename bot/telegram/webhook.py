"""Webhook mode for production: an aiohttp server that Telegram posts updates to.

Several processes may serve one webhook URL behind a reverse proxy (README, "Several
processes"). A process asked to stop (SIGTERM, Ctrl-C) first stops listening, so the proxy
takes new updates to the others; then the updates it is handling finish (their effects
commit, their answers go out, Telegram gets its 200) – for at most SHUTDOWN_GRACE seconds,
what is cut off then is re-delivered by Telegram; only then the bot shuts down.
"""

from __future__ import annotations

import asyncio
import signal
from typing import TYPE_CHECKING

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

if TYPE_CHECKING:
    from bot.app import CrmBot

WEBHOOK_PATH = "/telegram/webhook"
SHUTDOWN_GRACE = 10.0  # seconds the updates being handled get to finish at a stop


async def run_webhook(app: CrmBot, handle_signals: bool = False) -> None:
    """Serves until SIGTERM/SIGINT (with `handle_signals`) or until cancelled."""
    settings = app.settings
    secret = settings.webhook_secret.get_secret_value() or None
    web_app = web.Application()
    # Telegram gets its answer once the update was handled (its effect committed): a
    # process killed before that leaves the update to Telegram's re-delivery. Not
    # handler.register(): its shutdown hook closes the Bot's session while updates are
    # still being answered.
    handler = SimpleRequestHandler(dispatcher=app.dp, bot=app.bot, secret_token=secret,
                                   handle_in_background=False)
    web_app.router.add_post(WEBHOOK_PATH, handler.handle)
    web_app.add_routes(app.dp["trigger_hooks"].routes())  # incoming webhook triggers
    if settings.webapp_url:
        web_app.add_routes(app.dp["board_web"].routes())  # the board: page and API
    url = settings.webhook_url.rstrip("/") + WEBHOOK_PATH

    async def set_webhook() -> None:
        await app.bot.set_webhook(url, secret_token=secret, drop_pending_updates=False)

    # Every process serves the URL; the leader tells Telegram (bot/cluster/leader.py), once
    # the server's start-up made it lead.
    app.parts.leadership.add_duty("webhook", set_webhook)
    workflow = {"dispatcher": app.dp, "bots": [app.bot], **app.dp.workflow_data}
    workflow.pop("bot", None)
    await app.dp.emit_startup(bot=app.bot, **workflow)
    try:
        runner = web.AppRunner(web_app, handle_signals=False, shutdown_timeout=SHUTDOWN_GRACE)
        await runner.setup()
        try:
            site = web.TCPSite(runner, settings.webhook_listen_host,
                               settings.webhook_listen_port)
            await site.start()
            await _until_stopped(handle_signals)
        finally:
            await runner.cleanup()  # stops listening, then lets the updates in hand finish
    finally:
        await app.dp.emit_shutdown(bot=app.bot, **workflow)


async def _until_stopped(handle_signals: bool) -> None:
    stop = asyncio.Event()
    if handle_signals:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
