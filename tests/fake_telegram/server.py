"""The aiohttp app: routes Bot API requests to handlers, injects failures, records calls."""

from __future__ import annotations

import logging
import time
from typing import Any

from aiohttp import web

from . import methods_messages, methods_misc  # noqa: F401  (importing registers the methods)
from .errors import TelegramError, blocked_description
from .faults import is_message_method
from .params import as_int, read_params
from .records import ApiCall
from .registry import CallContext, Handler, lookup
from .state import TelegramState

log = logging.getLogger("tests.fake_telegram")

_GROUP_TYPES = ("group", "supergroup")


class FakeTelegramServer:
    def __init__(self, state: TelegramState) -> None:
        self.state = state
        self.server_errors: list[BaseException] = []  # bugs in the fake (or absurd input)
        self._runner: web.AppRunner | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        # Uploads up to Telegram's 50 MB; aiohttp's default body limit is 1 MB.
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # Short shutdown timeout: a long poll left behind by a cancelled client must not
        # hold up stop() (the queue also wakes it, see UpdateQueue.stop).
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False,
                                     shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, host, port).start()
        bound_port = self._runner.addresses[0][1]
        return f"http://{host}:{bound_port}"

    async def stop(self) -> None:
        self.state.updates.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- request handling ---------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        state = self.state
        if request.match_info["token"] != state.token:
            return _reply(TelegramError(401).body())
        arrived = time.monotonic()
        entry = lookup(request.match_info["method"])
        method = entry[0] if entry else request.match_info["method"]
        polling = method == "getUpdates"  # polls are counted, not recorded or "activity"
        if not polling:
            state.inflight += 1
            state.touch()
        params: dict[str, Any] = {}
        try:
            params = await read_params(request)
            body = await self._run(entry, params, request)
            await self._hold_reply(method, params)
        except TelegramError as error:
            body = error.body()
        finally:
            if not polling:
                state.inflight -= 1
        if not polling:
            state.calls.append(ApiCall(method, params, arrived, body))
        if not polling or body.get("result"):  # delivering updates counts as activity too
            state.touch()
        log.debug("%s %s -> %s", method, params, body)
        return _reply(body)

    async def _run(
        self, entry: tuple[str, Handler] | None, params: dict[str, Any], request: web.Request
    ) -> dict[str, Any]:
        if entry is None:
            raise TelegramError(404, "Not Found")
        method, handler = entry
        self._inject_failures(method, params)

        def client_alive() -> bool:
            transport = request.transport
            return transport is not None and not transport.is_closing()

        try:
            result = await handler(CallContext(self.state, params, client_alive))
        except TelegramError:
            raise
        except Exception as error:  # a bug in the fake must show up, not hang the bot
            log.exception("fake telegram failed on %s", method)
            self.server_errors.append(error)
            raise TelegramError(500, f"Internal Server Error: {error!r}") from error
        return {"ok": True, "result": result}

    async def _hold_reply(self, method: str, params: dict[str, Any]) -> None:
        for hold in self.state.holds:
            if hold.matches(method, params.get("chat_id")):
                hold.held.set()
                await hold.released.wait()

    def _inject_failures(self, method: str, params: dict[str, Any]) -> None:
        """Scripted failures first, then blocked chats, then flood limits."""
        state = self.state
        chat_id = params.get("chat_id")
        for rule in state.failures:
            if rule.matches(method, chat_id):
                error = rule.fire()
                state.failures = [r for r in state.failures if not r.exhausted]
                raise error
        if not is_message_method(method) and method != "sendChatAction":
            return
        chat_type = state.chat_type(chat_id)
        numeric_id = as_int(chat_id)
        if numeric_id is not None and numeric_id in state.blocked:
            raise TelegramError(403, blocked_description(chat_type or "private"))
        if state.limiter is not None:
            limited = state.limiter.check(method, numeric_id, chat_type in _GROUP_TYPES)
            if limited is not None:
                raise limited

    async def _handle_file(self, request: web.Request) -> web.Response:
        stored = self.state.file_by_path(request.match_info["path"])
        if request.match_info["token"] != self.state.token or stored is None \
                or stored.content is None:
            return _reply(TelegramError(404, "Not Found").body())
        mime = (stored.mime_type or "application/octet-stream").split(";")[0].strip()
        return web.Response(body=stored.content, content_type=mime)


def _reply(body: dict[str, Any]) -> web.Response:
    status = 200 if body.get("ok") else int(body.get("error_code", 500))
    return web.json_response(body, status=status)
