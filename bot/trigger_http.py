"""Incoming webhook calls of triggers over HTTP: served by the bot's aiohttp app in webhook
mode, and by a small listener of its own in polling mode (TRIGGER_LISTEN_PORT; off when
empty). A call: POST or GET <base>/hooks/trigger/<id>/<signature>?item=<item id> (or a
JSON body {"item_id": ...}). A wrong signature is answered 403 and changes nothing."""

from __future__ import annotations

import json
import logging

from aiohttp import web

from bot.settings import Settings
from crm.errors import NotFound
from rules.triggers.service import TriggerService
from rules.triggers.signing import PATH_PREFIX

log = logging.getLogger(__name__)
ROUTE = PATH_PREFIX + r"/{trigger_id:\d{1,18}}/{signature}"


class TriggerHooks:
    def __init__(self, triggers: TriggerService, settings: Settings) -> None:
        self._triggers = triggers
        self._settings = settings
        self._runner: web.AppRunner | None = None
        self.listening: str | None = None  # http://host:port of the polling-mode listener

    def routes(self) -> list[web.RouteDef]:
        return [web.post(ROUTE, self.handle), web.get(ROUTE, self.handle)]

    @property
    def base_url(self) -> str | None:
        """Where callers reach the hooks; None when nothing serves them."""
        if self._settings.trigger_public_url:
            return self._settings.trigger_public_url.rstrip("/")
        if self._settings.webhook_url:
            return self._settings.webhook_url.rstrip("/")
        return self.listening

    def url(self, trigger_id: int) -> str | None:
        base = self.base_url
        return base + self._triggers.signer.path(trigger_id) if base else None

    async def handle(self, request: web.Request) -> web.Response:
        trigger_id = int(request.match_info["trigger_id"])
        signature = request.match_info["signature"]
        if not self._triggers.signer.verify(trigger_id, signature):
            return _answer(403, error="bad signature")
        item_id = await _item_id(request)
        if item_id is None:
            return _answer(400, error="give the item as ?item=<id> or {\"item_id\": <id>}")
        try:
            fired = await self._triggers.call_webhook(trigger_id, signature, item_id)
        except NotFound as missing:
            return _answer(404, error=f"{missing.params.get('what')} not found")
        return _answer(200, moved=fired.moved, outcome=fired.outcome.value, item_id=item_id,
                       stage_id=fired.stage_id)

    async def start_listener(self) -> None:
        """Polling mode: listens on TRIGGER_LISTEN_HOST:TRIGGER_LISTEN_PORT (0: any port)."""
        port = self._settings.trigger_listen_port
        if port is None or self._settings.webhook_url or self._runner is not None:
            return
        web_app = web.Application()
        web_app.add_routes(self.routes())
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._settings.trigger_listen_host, port).start()
        host, bound = self._runner.addresses[0][:2]
        self.listening = f"http://{host}:{bound}"
        log.info("trigger webhooks listen on %s", self.listening)

    async def stop_listener(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner, self.listening = None, None


async def _item_id(request: web.Request) -> int | None:
    text = request.query.get("item") or request.query.get("item_id")
    if text is None and request.can_read_body:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        text = str(body.get("item_id", body.get("item", ""))) if isinstance(body, dict) else ""
    text = (text or "").strip().lstrip("#")
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _answer(status: int, **body: object) -> web.Response:
    return web.json_response({"ok": status == 200, **body}, status=status)
