"""The board's API (issue 16) on the bot's own listener (polling mode), called as the page
calls it, with initData signed by the test bot's token: who may call it, what the board
shows, a card dragged to another column (through the same move as the chat's buttons), an
item's details; and the menu button that opens the board, for staff only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role
from tests.board_signing import forged, signed_init_data
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, all_items, member, press, say

BOARD_URL = "https://crm.example.test"
SAM = 2001
CLIENT = 5005
DEALS = 2  # the deals' pipeline


class Page:
    """What the board's page does over HTTP: every call with `Authorization: tma <initData>`."""

    def __init__(self, base: str, token: str, clock: FrozenClock) -> None:
        self.base, self.token, self.clock = base + "/board/api/", token, clock
        self.session = aiohttp.ClientSession()
        self.languages: dict[int, str] = {}  # the users' Telegram app languages (else en)

    def init_data(self, user_id: int, age: timedelta = timedelta(0)) -> str:
        return signed_init_data(self.token, user_id, self.clock.now() - age,
                                language_code=self.languages.get(user_id, "en"))

    async def call(self, user_id: int | None, path: str, body: dict[str, Any] | None = None,
                   init_data: str | None = None, **query: Any) -> tuple[int, Any]:
        if init_data is None and user_id is not None:
            init_data = self.init_data(user_id)
        headers = {"Authorization": f"tma {init_data}"} if init_data else {}
        method = "POST" if body is not None else "GET"
        async with self.session.request(method, self.base + path, json=body, headers=headers,
                                        params={k: str(v) for k, v in query.items()}) as reply:
            return reply.status, await reply.json()


@pytest.fixture
async def board(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock
                ) -> AsyncIterator[tuple[CrmBot, Page]]:
    settings = make_settings(tg, tg.base_url or "", tmp_path, webapp_url=BOARD_URL,
                             webapp_listen_port=0)
    running = await start_bot(settings, clock)
    web = running.app.dp["board_web"]
    await web.start_listener()
    page = Page(web.listening, tg.token, clock)
    yield running.app, page
    await page.session.close()
    await web.stop_listener()
    await running.stop()


def column(answer: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in answer["columns"] if c["stage"]["name"] == name)


async def test_only_signed_fresh_initdata_of_active_staff_is_let_in(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:
    _crm, page = board
    await admin(tg)
    status, boot = await page.call(ADMIN_ID, "bootstrap")
    assert status == 200
    assert boot["user"] == {"id": ADMIN_ID, "name": "Ada Admin", "role": "admin",
                            "role_name": "admin"}
    assert boot["can_see_all"] is True and boot["language"] == "en"
    assert boot["default_pipeline_id"] == DEALS
    assert {"id": DEALS, "name": "General", "type_code": "deal",
            "type_name": "Deal"} in boot["pipelines"]
    assert boot["texts"]["title"] == "Pipeline board"
    assert boot["texts"]["days_in_stage_other"] == "{count} days in stage"
    async with page.session.get(page.base.replace("api/", "")) as reply:
        assert reply.status == 200 and "<html" in (await reply.text()).lower()  # the page
    async with page.session.get(page.base.replace("/api/", ""), allow_redirects=False) as reply:
        assert (reply.status, reply.headers["Location"]) == (302, "/board/")
    async with page.session.get(page.base.replace("api/", "static/vendor/Sortable.min.js")
                                ) as reply:
        assert reply.status == 200
    async with page.session.get(page.base.replace("api/", "static/%2e%2e/auth.py")) as reply:
        assert reply.status in (403, 404)  # nothing outside the page's folder
    good = page.init_data(ADMIN_ID)
    for refused in (forged(good), good.replace("hash=", "hash=0"), "", "user=1&hash=x"):
        status, answer = await page.call(None, "bootstrap", init_data=refused or None)
        assert (status, answer["error"]) == (401, "unauthorized"), refused
    expired = page.init_data(ADMIN_ID, age=timedelta(seconds=86400 + 1))
    status, answer = await page.call(None, "board", init_data=expired, pipeline_id=DEALS)
    assert (status, answer["error"]) == (401, "unauthorized")
    assert answer["message"] == "Please open the board from the bot's menu button again."
    assert (await page.call(None, "board", init_data=page.init_data(
        ADMIN_ID, age=timedelta(hours=23)), pipeline_id=DEALS))[0] == 200
    # a client (signed by Telegram, but not on the team), in German
    carl = tg.user(CLIENT, "Carl", "Client", language_code="de")
    await say(tg, carl, "/start")
    page.languages[CLIENT] = "de"
    status, answer = await page.call(CLIENT, "bootstrap")
    assert (status, answer) == (403, {"error": "not_staff",
                                      "message": "Das Board ist nur für das Team."})
    assert "Traceback" not in str(answer)


async def test_the_board_shows_columns_and_a_drag_moves_through_the_chats_move(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:
    crm, page = board
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Won!"}, title="Cheer")
    await add_rule(crm, ADMIN_ID, "won", "change_field", {"field": "amount", "value": "19000"},
                   title="Final price")
    card = await say(tg, ada, "/new deal Big one; 18.000 EUR; Carl Client")
    assert card.find_button("📊 Board")  # the card opens the board at this item
    status, answer = await page.call(ADMIN_ID, "board", pipeline_id=DEALS, scope="all")
    assert status == 200
    new = column(answer, "New")
    assert (new["count"], new["sum"], new["more"]) == (1, "€18,000.00", False)
    shown = new["cards"][0]
    assert shown | {"id": 0, "version": 0, "stage_id": 0} == {
        "id": 0, "title": "Big one", "amount": "€18,000.00", "contact": "Carl Client",
        "responsible": "Ada Admin", "days_in_stage": 0, "days_text": "0 days in stage",
        "automation_failed": False, "version": 0, "stage_id": 0, "closed": False}
    assert [c["stage"]["kind"] for c in answer["columns"]][-2:] == ["success", "failure"]
    won = column(answer, "Won")["stage"]["id"]
    # a stale board: the item changed since it was shown
    stale = {"item_id": shown["id"], "stage_id": won, "version": shown["version"] + 1}
    status, refused = await page.call(ADMIN_ID, "move", stale)
    assert (status, refused["error"]) == (409, "stale")
    status, moved = await page.call(ADMIN_ID, "move", stale | {"version": shown["version"]})
    assert status == 200
    assert moved["card"]["stage_id"] == won and moved["card"]["closed"] is True
    assert moved["message"] == "Moved to “Won”."
    # the answer shows the item as the rules due at once left it, as the chat's card does
    assert moved["card"]["amount"] == "€19,000.00"
    marks = {line["text"].split(" – ")[0]: line["mark"] for line in moved["automation"]}
    assert marks["Final price"] == "✅"
    assert marks["Cheer"] in {"✅", "⏳"}  # done, or its message still on the way
    item = (await all_items(crm))[0]
    assert item.stage_id == won and item.version == moved["card"]["version"]
    # the chat's card of the item is out of date: its buttons carry the version, so a
    # press moves nothing and shows the item as it is
    toast = await press(tg, ada, card, "Preparing documents ▶")
    assert toast.text == "Nothing moved: the card was out of date."
    assert "▶️ <b>🏆 Won</b>" in card.body
    assert (await all_items(crm))[0].stage_id == won
    status, answer = await page.call(ADMIN_ID, "board", pipeline_id=DEALS, scope="all")
    assert column(answer, "Won")["count"] == 1 and column(answer, "New")["count"] == 0


async def test_a_salesperson_moves_only_their_own_and_a_loss_needs_a_reason(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:
    crm, page = board
    ada = await admin(tg)
    await member(tg, ada, SAM, Role.SALES, language_code="de")
    await say(tg, ada, "/new deal Ada's own")
    sam = tg.user(SAM, "Sam", "Seller", language_code="de")
    page.languages[SAM] = "de"
    await say(tg, sam, "/new deal Sams Auftrag; 500 EUR")
    adas, sams = await all_items(crm)
    status, boot = await page.call(SAM, "bootstrap")
    assert (boot["language"], boot["can_see_all"], boot["texts"]["all"]) == ("de", False, "Alle")
    status, answer = await page.call(SAM, "board", pipeline_id=DEALS, scope="all")
    new = column(answer, "Neu")
    assert [c["title"] for c in new["cards"]] == ["Sams Auftrag"] and new["count"] == 1
    assert new["sum"] == "500,00\xa0€" and new["cards"][0]["days_text"] == "0 Tage in der Phase"
    lost = column(answer, "Verloren")["stage"]["id"]
    status, refused = await page.call(SAM, "move", {"item_id": adas.id, "stage_id": lost,
                                                    "version": adas.version})
    assert (status, refused["error"]) == (403, "forbidden")
    assert refused["message"].startswith("Dieses Element gehört nicht Ihnen")
    status, refused = await page.call(SAM, "item", id=adas.id)
    assert status == 403
    move = {"item_id": sams.id, "stage_id": lost, "version": sams.version}
    status, asked = await page.call(SAM, "move", move)
    assert (status, asked["error"], asked["stage"]) == (422, "lost_reason_required", "Verloren")
    assert asked["reasons"][:2] == ["Preis", "Wettbewerber"]
    assert (await all_items(crm))[1].stage_id == sams.stage_id  # nothing moved yet
    status, refused = await page.call(SAM, "move", move | {"lost_reason": "  "})
    assert (status, refused["error"]) == (422, "lost_reason_refused")
    status, moved = await page.call(SAM, "move", move | {"lost_reason": "Preis"})
    assert status == 200 and moved["card"]["closed"] is True
    assert (await all_items(crm))[1].lost_reason == "Price"
    status, details = await page.call(SAM, "item", id=sams.id)
    assert status == 200
    assert details["stage"] == "Verloren" and details["title"] == "Sams Auftrag"
    assert {"label": "Verlustgrund", "value": "Preis"} in details["fields"]
    assert [line["text"] for line in details["history"]] == [
        "angelegt in „Neu“ von Sam Seller", "Neu → Verloren von Sam Seller"]
    assert details["chat_link"] == f"https://t.me/{tg.state.bot_user['username']}" \
                                   f"?start=item_{sams.id}"
    # the link from the board opens the card in the chat
    opened = await say(tg, sam, f"/start item_{sams.id}")
    assert "Sams Auftrag" in opened.rendered


async def test_the_menu_button_opens_the_board_for_staff_only(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:
    crm, page = board
    ada = await admin(tg)
    web_app = {"type": "web_app", "text": "📊 Board", "web_app": {"url": BOARD_URL + "/board/"}}
    assert tg.state.menu_buttons.get(ADMIN_ID) == web_app
    sam = await member(tg, ada, SAM, Role.SALES)
    assert tg.state.menu_buttons.get(SAM) == web_app
    carl = tg.user(CLIENT, "Carl", "Client")
    await say(tg, carl, "/start")
    assert CLIENT not in tg.state.menu_buttons  # clients keep Telegram's default
    assert await crm.bot.get_chat_menu_button(chat_id=CLIENT) is not None
    # removed from the team: the default again, and the API refuses them
    team = await say(tg, ada, "/staff")
    await press(tg, ada, team, "Remove")
    assert tg.state.menu_buttons.get(SAM) == {"type": "default"}
    assert (await page.call(SAM, "bootstrap"))[0] == 403
    assert sam.id == SAM
