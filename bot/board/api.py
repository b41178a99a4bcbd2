"""The board's JSON API (under /board/api/, served by bot/board/http.py): each endpoint
parses what the page sent, calls one service and answers with bot/board/views.py.
What the page sends is only a wish: the services check access and versions again."""

from __future__ import annotations

import re
from contextlib import suppress
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.board.http import ApiError, Call, Endpoints, json_body
from bot.board.texts import page_texts
from bot.board.views import (
    board_json,
    card_json,
    cursor_text,
    details_json,
    parse_cursor,
    pipeline_json,
    rule_json,
)
from bot.clients.deep_links import StartLinks
from bot.common.formatting import localized
from bot.common.texts import role_text
from bot.settings import Settings
from crm.container import CrmServices
from crm.errors import PermissionDenied
from crm.services.board import Scope
from crm.services.closing import LostReasonNeeded
from crm.storage.codec import MAX_ID
from rules.container import Automation

DEFAULT_LIMIT = 30
DIGITS = re.compile(r"[0-9]{1,19}")  # ASCII only: str.isdigit() also passes "²", int() not
ITEM_LINK_PREFIX = "item_"  # /start item_<id>: the item's card in the chat (bot/board/links.py)


class BoardApi:
    def __init__(self, services: CrmServices, automation: Automation, settings: Settings,
                 links: StartLinks) -> None:
        self._services, self._automation = services, automation
        self._settings, self._links = settings, links

    def endpoints(self) -> Endpoints:
        return {"bootstrap": ("GET", self.bootstrap), "board": ("GET", self.board),
                "column": ("GET", self.column), "item": ("GET", self.item),
                "move": ("POST", self.move)}

    async def bootstrap(self, call: Call) -> dict[str, Any]:
        staff, language = call.staff, call.language
        pipelines, default = [], None
        for entity_type in await self._services.catalog.types():
            for pipeline in await self._services.catalog.pipelines(entity_type.code):
                pipelines.append({**pipeline_json(pipeline, language),
                                  "type_name": localized(entity_type, language)})
                if default is None or (entity_type.code == "deal" and pipeline.is_default):
                    default = pipeline.id
        return {"language": language, "texts": page_texts(language),
                "user": {"id": staff.user_id, "name": staff.name, "role": staff.role.value,
                         "role_name": role_text(staff.role)},
                "can_see_all": staff.sees_all_items, "pipelines": pipelines,
                "default_pipeline_id": default}

    async def board(self, call: Call) -> dict[str, Any]:
        query = call.request.query
        board = await self._services.board.board(
            call.staff, _number(query.get("pipeline_id")), _scope(query.get("scope")),
            query.get("q", "").strip() or None, _limit(query.get("limit")))
        return board_json(board, self._services.clock.now(), call.language)

    async def column(self, call: Call) -> dict[str, Any]:
        query = call.request.query
        try:
            after = parse_cursor(query.get("after"))
        except ValueError as error:
            raise ApiError(400, "bad_request") from error
        cards, following = await self._services.board.column(
            call.staff, _number(query.get("stage_id")), _scope(query.get("scope")),
            query.get("q", "").strip() or None, after, _limit(query.get("limit")))
        now = self._services.clock.now()
        return {"cards": [card_json(c, now, call.language) for c in cards],
                "more": following is not None, "next": cursor_text(following)}

    async def item(self, call: Call) -> dict[str, Any]:
        item_id = _number(call.request.query.get("id"))
        details = await self._services.board.details(call.staff, item_id)
        status = await self._automation.status.status(call.staff, item_id)
        return details_json(details, status, self._chat_link(item_id), call.language,
                            self._settings.timezone)

    async def move(self, call: Call) -> dict[str, Any]:
        body = await json_body(call.request)
        item_id, stage_id = _number(body.get("item_id")), _number(body.get("stage_id"))
        version = _number(body.get("version"))
        reason = body.get("lost_reason")
        if reason is not None and not isinstance(reason, str):
            raise ApiError(400, "bad_request")
        try:
            moved, card = await self._services.board.move(
                call.staff, item_id, stage_id, version, reason, body.get("reopen") is True)
        except LostReasonNeeded as asked:
            reasons = await self._services.board.lost_reasons(call.staff, item_id,
                                                              call.language)
            raise ApiError(422, "lost_reason_required", reasons=reasons,
                           stage=localized(asked.to_stage, call.language)) from asked
        # As in the chat: the answer shows the item as the rules due at once left it
        # (a change-field rule's amount), read from the database whoever runs them.
        if await self._services.cards.settled(item_id):
            with suppress(PermissionDenied):  # a rule gave the item away: shown as moved
                card = await self._services.board.card(call.staff, item_id)
        status = await self._automation.status.status(call.staff, item_id)
        language = call.language
        return {"card": card_json(card, self._services.clock.now(), language),
                "message": _("Moved to “{stage}”.").format(
                    stage=localized(moved.to_stage, language)),
                "automation": [rule_json(r, language, self._settings.timezone)
                               for r in status.current]}

    def _chat_link(self, item_id: int) -> str:
        username = self._links.username
        if username is None:
            return f"/item {item_id}"
        return f"https://t.me/{username}?start={ITEM_LINK_PREFIX}{item_id}"


def _number(value: object) -> int:
    """An id the page sent; 400 for anything that is not one."""
    if isinstance(value, bool):
        raise ApiError(400, "bad_request")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise ApiError(400, "bad_request")
    if not 0 <= number <= MAX_ID:
        raise ApiError(400, "bad_request")
    return number


def _scope(value: str | None) -> Scope:
    try:
        return Scope(value or Scope.MINE)
    except ValueError as error:
        raise ApiError(400, "bad_request") from error


def _limit(value: str | None) -> int:
    return _number(value) if value else DEFAULT_LIMIT
