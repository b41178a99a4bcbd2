"""Webhook delivery: while a webhook is set, updates are POSTed to the bot instead of waiting
for getUpdates, the way Telegram does it — optionally through a reverse proxy in front of
several bot processes.

The proxy is a list of upstream base URLs (each a process's WEBHOOK_LISTEN address); the
path of the URL the bot set is kept, like nginx's `proxy_pass http://bots;`. Each update
goes to the next upstream in turn (round robin); a refused or broken connection, a timeout
or a 5xx sends it on to the next one, and when every upstream failed it is tried again a
little later (Telegram retries a failed delivery too). An update counts as delivered, and
is forgotten, once an upstream answered 200. A delivery cut off after the request was sent
may have been handled: the one to the next upstream is then a re-delivery, which the bot
must recognise (its update inbox).

Updates of one chat go one at a time and in order; different chats' go in parallel, up to
setWebhook's max_connections (40 by default, like Telegram).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from .state import TelegramState

RETRY_PAUSE = 0.2  # after every upstream failed (Telegram waits longer; tests should not)
IDLE_CHECK = 0.1  # how often a webhook being set or removed is noticed


@dataclass(frozen=True, slots=True)
class Delivery:
    """One POST of an update: where it went, when it began (time.monotonic()) and what
    came of it (an HTTP status, or the name of the connection error)."""

    update_id: int
    url: str
    began: float
    outcome: int | str

    @property
    def ok(self) -> bool:
        return self.outcome == 200


class WebhookPusher:
    def __init__(self, state: TelegramState, upstreams: list[str] | None = None,
                 timeout: float = 30.0) -> None:
        self._state = state
        self._upstreams = [u.rstrip("/") for u in upstreams or []]
        self._timeout = timeout
        self._next = 0  # round-robin position
        self._sending: set[int] = set()  # id() of the update dicts being delivered
        self._busy_chats: set[int] = set()  # chats with an update being delivered
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None
        self._loop_task: asyncio.Task[None] | None = None
        self.deliveries: list[Delivery] = []

    def start(self) -> None:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout))
        self._loop_task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        tasks = [t for t in (self._loop_task, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()

    def route_to(self, upstreams: list[str]) -> None:
        """Another set of processes behind the proxy from now on."""
        self._upstreams = [u.rstrip("/") for u in upstreams]

    # --- the loop -----------------------------------------------------------------

    async def _run(self) -> None:
        queue = self._state.updates
        while True:
            webhook = self._webhook()
            if webhook is not None:
                for update in queue.pending:
                    if len(self._sending) >= webhook.max_connections:
                        break
                    chat = _chat_of(update)
                    if id(update) in self._sending or chat in self._busy_chats:
                        continue
                    self._begin(update, chat)
            await queue.signal.wait(IDLE_CHECK)

    def _begin(self, update: dict[str, Any], chat: int | None) -> None:
        self._sending.add(id(update))
        if chat is not None:
            self._busy_chats.add(chat)
        task = asyncio.create_task(self._deliver(update))

        def done(_task: asyncio.Task[None]) -> None:
            self._tasks.discard(task)
            self._sending.discard(id(update))
            if chat is not None:
                self._busy_chats.discard(chat)
            self._state.updates.signal.fire()  # the chat's next update may go now

        self._tasks.add(task)
        task.add_done_callback(done)

    async def _deliver(self, update: dict[str, Any]) -> None:
        while (webhook := self._webhook()) is not None:
            for url in self._targets(webhook.url):
                began = time.monotonic()
                outcome = await self._post(url, update, webhook.secret)
                self.deliveries.append(Delivery(update["update_id"], url, began, outcome))
                self._state.touch()
                if outcome == 200:
                    self._state.updates.forget(update)
                    return
            await asyncio.sleep(RETRY_PAUSE)

    def _targets(self, webhook_url: str) -> list[str]:
        """Where this update is tried, in order: the webhook itself, or every upstream
        starting with the next in turn."""
        if not self._upstreams:
            return [webhook_url]
        parts = urlsplit(webhook_url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        start = self._next % len(self._upstreams)
        self._next += 1
        ordered = self._upstreams[start:] + self._upstreams[:start]
        return [upstream + path for upstream in ordered]

    async def _post(self, url: str, update: dict[str, Any], secret: str) -> int | str:
        assert self._http is not None
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        try:
            async with self._http.post(url, data=json.dumps(update), headers=headers) as answer:
                await answer.read()
                return answer.status
        except (aiohttp.ClientError, TimeoutError) as error:
            return type(error).__name__

    def _webhook(self) -> _Webhook | None:
        """The webhook as the last setWebhook left it, or None (none set: getUpdates). Read
        from the state setWebhook keeps, not from the calls: it is asked before every
        delivery, and a long run records hundreds of thousands of calls."""
        if not self._state.webhook_url:
            return None
        params = self._state.webhook_params
        try:
            connections = max(1, int(params.get("max_connections") or 40))
        except (TypeError, ValueError):
            connections = 40
        return _Webhook(self._state.webhook_url, str(params.get("secret_token") or ""),
                        connections)


@dataclass(frozen=True, slots=True)
class _Webhook:
    url: str
    secret: str
    max_connections: int


def _chat_of(update: dict[str, Any]) -> int | None:
    """The chat whose updates must keep their order (None: no chat, no order)."""
    for payload in update.values():
        if not isinstance(payload, dict):
            continue
        for holder in (payload, payload.get("message")):
            if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
                chat_id: int = holder["chat"]["id"]
                return chat_id
        sender = payload.get("from")
        if isinstance(sender, dict):
            sender_id: int = sender["id"]
            return sender_id
    return None
