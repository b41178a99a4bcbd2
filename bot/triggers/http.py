"""Incoming webhook calls of triggers over HTTP: served by the bot's aiohttp app in webhook
mode, and by a small listener of its own in polling mode (TRIGGER_LISTEN_PORT; off when
empty). A call: POST or GET <base>/hooks/trigger/<trigger id>/<item id>/<signature>, the
URL of one item (`/triggers url <trigger> <item>`).

Every refusal is the same 403 and changes nothing: a wrong signature, a trigger or item that
does not exist (any more), an item now in another pipeline, an item named in the query or
body other than the URL's, and a call from one of our own outgoing webhooks (it carries
their headers) — a rule whose webhook calls a trigger would move items in a loop that the
engine's loop guard cannot see, whatever name or proxy the URL reaches us by."""

from __future__ import annotations

import json
import logging

from aiohttp import web

from bot.settings import Settings
from rules.triggers.service import CallRefused, TriggerService
from rules.triggers.signing import PATH_PREFIX
from rules.webhooks.body import DELIVERY_HEADER, SIGNATURE_HEADER

log = logging.getLogger(__name__)
ROUTE = PATH_PREFIX + r"/{trigger_id:\d{1,18}}/{item_id:\d{1,18}}/{signature}"


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

    def url(self, path: str) -> str | None:
        """The full URL of a signed path (TriggerService.webhook_url_path)."""
        base = self.base_url
        return base + path if base else None

    async def handle(self, request: web.Request) -> web.Response:
        trigger_id = int(request.match_info["trigger_id"])
        item_id = int(request.match_info["item_id"])
        try:
            if SIGNATURE_HEADER in request.headers or DELIVERY_HEADER in request.headers:
                raise CallRefused(trigger_id=trigger_id, item_id=item_id, why="own webhook")
            if await _named_item(request) not in (None, item_id):
                raise CallRefused(trigger_id=trigger_id, item_id=item_id, why="other item")
            fired = await self._triggers.call_webhook(trigger_id, item_id,
                                                      request.match_info["signature"])
        except CallRefused as refused:
            log.info("trigger call refused: %s", refused.params)
            return _answer(403, error="refused")
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


async def _named_item(request: web.Request) -> int | None:
    """The item a call names besides its URL (?item=, or a JSON body {"item_id": …}) —
    what callers of the former trigger-wide URLs sent; -1 when it is not an item id."""
    text = request.query.get("item") or request.query.get("item_id")
    if text is None and request.can_read_body:
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None  # a body of the caller's own: the URL alone says which item
        found = body.get("item_id", body.get("item")) if isinstance(body, dict) else None
        text = None if found is None else str(found)
    if text is None:
        return None
    text = text.strip().lstrip("#")
    return int(text) if text.isdigit() and len(text) <= 18 else -1


def _answer(status: int, **body: object) -> web.Response:
    return web.json_response({"ok": status == 200, **body}, status=status)
