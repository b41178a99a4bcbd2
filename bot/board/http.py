"""The board's HTTP side under /board/: the page and its files (from the package), and a
small JSON API. Served by the webhook's aiohttp app in webhook mode, and by a listener of
its own in polling mode (WEBAPP_LISTEN_HOST/PORT), as the trigger hooks are.

Every API call is authenticated (bot/board/auth.py) and answered in the caller's language;
a refusal is JSON {"error": code, "message": text}, never a trace."""

from __future__ import annotations

import html
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.board.auth import Caller, Unauthorized, caller_of
from bot.board.texts import error_text
from bot.closing.errors import refusal_text
from bot.common.texts import error_text as domain_text
from bot.i18n import PoI18n, pick_language
from bot.settings import Settings
from crm.container import CrmServices
from crm.errors import AlreadyInStage, AppError, NotFound, PermissionDenied, StaleCard
from crm.models import Staff
from crm.services.closing import LostReasonNeeded, LostReasonRefused, ReopenNeedsConfirmation

log = logging.getLogger(__name__)
PREFIX = "/board"
STATIC_DIR = Path(__file__).parent / "static"


@dataclass(frozen=True, slots=True)
class Call:
    """An authenticated API call: who, in which language, and the request."""

    staff: Staff
    language: str
    request: web.Request


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str | None = None,
                 **extra: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.message, self.extra = status, code, message, extra


Endpoint = Callable[[Call], Awaitable[dict[str, Any]]]
Endpoints = dict[str, tuple[str, Endpoint]]  # name -> (HTTP method, endpoint)


class BoardWeb:
    def __init__(self, services: CrmServices, i18n: PoI18n, settings: Settings,
                 endpoints: Endpoints) -> None:
        self.services, self.i18n, self.settings = services, i18n, settings
        self._endpoints = endpoints
        self._runner: web.AppRunner | None = None
        self.listening: str | None = None  # http://host:port of the polling-mode listener

    def routes(self) -> list[web.AbstractRouteDef]:
        api = [web.route(method, f"{PREFIX}/api/{name}", self._api(endpoint))
               for name, (method, endpoint) in self._endpoints.items()]
        return [web.get(PREFIX, self._to_page), web.get(PREFIX + "/", self._page),
                web.static(PREFIX + "/static", STATIC_DIR), *api]

    async def _to_page(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(PREFIX + "/")

    async def _page(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC_DIR / "index.html",
                                headers={"Cache-Control": "no-cache"})

    def _api(self, endpoint: Endpoint) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            language: str = self.settings.default_language
            try:
                caller = self._caller(request)
                staff = await self.services.staff.identify(caller.user_id)
                language = pick_language(staff, caller.language_code, language)
                if staff is None:
                    raise ApiError(403, "not_staff")
                with self.i18n.context(), self.i18n.use_locale(language):
                    return web.json_response(await endpoint(Call(staff, language, request)))
            except ApiError as refused:
                return self._refusal(refused, language)
            except Unauthorized as why:
                log.info("board: refused %s (%s)", request.path, why)
                if why.caller is not None:  # genuine but too old: a board left open a day
                    language = await self._language_of(why.caller, language)
                return self._refusal(ApiError(401, "unauthorized"), language)
            except AppError as error:
                with self.i18n.context(), self.i18n.use_locale(language):
                    return self._refusal(self._domain(error, language), language)
            except Exception:
                log.exception("board: %s failed", request.path)
                return self._refusal(ApiError(500, "error"), language)
        return handle

    async def _language_of(self, caller: Caller, default: str) -> str:
        try:
            staff = await self.services.staff.identify(caller.user_id)
        except Exception:  # the refusal goes out anyway, in the app's language
            log.exception("board: who signed an expired initData")
            staff = None
        return pick_language(staff, caller.language_code, default)

    def _caller(self, request: web.Request) -> Caller:
        return caller_of(request.headers.get("Authorization"),
                         self.settings.bot_token.get_secret_value(), self.services.clock.now(),
                         timedelta(seconds=self.settings.webapp_auth_max_age))

    def _domain(self, error: AppError, language: str) -> ApiError:
        if isinstance(error, PermissionDenied):
            return ApiError(403, "forbidden")
        if isinstance(error, NotFound):
            return ApiError(404, "not_found")
        if isinstance(error, StaleCard | AlreadyInStage):
            return ApiError(409, "stale")
        if isinstance(error, LostReasonNeeded):
            return ApiError(422, "lost_reason_required")  # the move endpoint adds the list
        if isinstance(error, ReopenNeedsConfirmation):
            return ApiError(422, "reopen_confirmation_required")
        if isinstance(error, LostReasonRefused):
            return ApiError(422, "lost_reason_refused", _plain(refusal_text(error)))
        return ApiError(422, error.code, _plain(domain_text(error)))

    @staticmethod
    def _refusal(refused: ApiError, language: str) -> web.Response:
        body = {"error": refused.code,
                "message": refused.message or error_text(refused.code, language),
                **refused.extra}
        return web.json_response(body, status=refused.status)

    async def start_listener(self) -> None:
        """Polling mode: listens on WEBAPP_LISTEN_HOST:WEBAPP_LISTEN_PORT (0: any port)."""
        port = self.settings.webapp_listen_port
        if (port is None or not self.settings.webapp_url or self.settings.webhook_url
                or self._runner is not None):
            return
        web_app = web.Application()
        web_app.add_routes(self.routes())
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.settings.webapp_listen_host, port).start()
        host, bound = self._runner.addresses[0][:2]
        self.listening = f"http://{host}:{bound}"
        log.info("the board listens on %s", self.listening)

    async def stop_listener(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner, self.listening = None, None


def _plain(text: str) -> str:
    """A chat text for the page: without the chat's HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except web.HTTPRequestEntityTooLarge as error:  # over aiohttp's client_max_size (1 MB)
        raise ApiError(413, "bad_request") from error
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise ApiError(400, "bad_request") from error  # RecursionError: "[[[[…" nested deep
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request")
    return body
