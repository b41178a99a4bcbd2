"""The board's API against an unlucky or hostile caller (issue 16): ids and numbers that are
not ids, bodies that are not objects, search text that is not words, a move into another
pipeline's stage, two boards moving one card at once. Each refusal is JSON in the caller's
language, never a 500."""

from __future__ import annotations

import asyncio
import io
from datetime import timedelta
from typing import Any

from bot.app import CrmBot
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, all_items, member, say
from tests.journeys.test_board_api import (  # noqa: F401 - board: the same bot and page
    DEALS,
    Page,
    board,
    column,
)

SAM = 2001
GERMAN_UNAUTHORIZED = "Bitte öffnen Sie das Board erneut über die Menü-Schaltfläche des Bots."
GERMAN_BAD_REQUEST = "Das Board hat etwas Unerwartetes gesendet. Bitte laden Sie es neu."


async def raw(page: Page, user_id: int, method: str, path: str,
              data: bytes | io.BytesIO | None = None,
              **query: str) -> tuple[int, Any]:
    headers = {"Authorization": f"tma {page.init_data(user_id)}",
               "Content-Type": "application/json"}
    async with page.session.request(method, page.base + path, data=data, headers=headers,
                                    params=query) as reply:
        return reply.status, await reply.json()


async def test_numbers_that_are_not_ids_and_bodies_that_are_not_objects_are_refused_as_json(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:  # noqa: F811 - imported fixture
    _crm, page = board
    ada = await admin(tg)
    await member(tg, ada, SAM, Role.SALES, language_code="de")
    page.languages[SAM] = "de"
    for bad in ("²", "-1", "abc", "1e3", "99999999999999999999", " ", "0x10", "1.5"):
        status, answer = await page.call(SAM, "board", pipeline_id=bad)
        assert status == 400 and answer["error"] == "bad_request", (bad, status, answer)
        status, answer = await page.call(SAM, "column", stage_id=bad)
        assert status == 400, (bad, status, answer)
        status, answer = await page.call(SAM, "item", id=bad)
        assert status == 400, (bad, status, answer)
    for bad in ("x", "~1", "2024-01-01~²", "2024-01-01~" + "9" * 30, "nonsense~5"):
        status, answer = await page.call(SAM, "column", stage_id=1, after=bad)
        assert status == 400, (bad, status, answer)
    for body in (b"[1]", b'"x"', b"null", b"{", b"", b"\xff\xfe", b"[" * 100_000,
                 b'{"item_id": 1e999}', b'{"item_id": NaN}'):
        status, answer = await raw(page, SAM, "POST", "move", body)
        assert (status, answer) == (400, {"error": "bad_request",
                                          "message": GERMAN_BAD_REQUEST}), body[:20]
    huge = io.BytesIO(b'{"item_id": 1, "lost_reason": "' + b"a" * 2_000_000 + b'"}')
    status, answer = await raw(page, SAM, "POST", "move", huge)
    assert (status, answer) == (413, {"error": "bad_request", "message": GERMAN_BAD_REQUEST})
    status, answer = await page.call(SAM, "board", pipeline_id=DEALS, limit=10**6)
    assert status == 200  # capped, not refused
    # a board left open longer than allowed: refused, in the user's language
    expired = page.init_data(SAM, age=timedelta(days=2))
    status, answer = await page.call(None, "board", init_data=expired, pipeline_id=DEALS)
    assert (status, answer) == (401, {"error": "unauthorized", "message": GERMAN_UNAUTHORIZED})
    # who calls is the signed user, never a user id the page adds
    status, answer = await page.call(SAM, "bootstrap", user=ADMIN_ID, id=ADMIN_ID)
    assert (answer["user"]["id"], answer["can_see_all"]) == (SAM, False)
    status, answer = await page.call(SAM, "board", pipeline_id=999_999)
    assert (status, answer["error"]) == (404, "not_found")


async def test_search_text_is_only_text_and_titles_come_back_as_typed(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:  # noqa: F811 - imported fixture
    _crm, page = board
    ada = await admin(tg)
    await say(tg, ada, "/new deal <img src=x onerror=alert(1)> ') DROP TABLE items --")
    for q in ("' OR 1=1 --", '"', "*", "NEAR(a b)", "a:b", "x" * 6000,
              " ".join(["ab"] * 1500), "0" * 3000, "+49 (30) " * 500, "\x00",
              "😀" * 600):  # (a URL over 8 KB aiohttp refuses itself, as text)
        status, answer = await page.call(ADMIN_ID, "board", pipeline_id=DEALS, scope="all",
                                         q=q)
        assert status == 200, (q[:20], status, answer)
    status, answer = await page.call(ADMIN_ID, "board", pipeline_id=DEALS, scope="all",
                                     q="img onerror")
    assert [c["title"] for c in column(answer, "New")["cards"]] == [
        "<img src=x onerror=alert(1)> ') DROP TABLE items --"]


async def test_a_move_into_another_pipelines_stage_or_far_off_version_moves_nothing(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:  # noqa: F811 - imported fixture
    crm, page = board
    ada = await admin(tg)
    await say(tg, ada, "/new deal Big one; 100 EUR")
    item = (await all_items(crm))[0]
    status, boot = await page.call(ADMIN_ID, "bootstrap")
    other = next(p["id"] for p in boot["pipelines"] if p["id"] != DEALS)
    status, answer = await page.call(ADMIN_ID, "board", pipeline_id=other, scope="all")
    foreign = answer["columns"][1]["stage"]["id"]
    status, refused = await page.call(ADMIN_ID, "move", {"item_id": item.id,
                                                         "stage_id": foreign,
                                                         "version": item.version})
    assert (status, refused["error"]) == (404, "not_found")
    status, answer = await page.call(ADMIN_ID, "board", pipeline_id=DEALS, scope="all")
    won = column(answer, "Won")["stage"]["id"]
    lost = column(answer, "Lost")["stage"]["id"]
    for version in (-1, item.version + 10**6, 2**63, True, "x", None):
        status, refused = await page.call(ADMIN_ID, "move", {"item_id": item.id,
                                                             "stage_id": won,
                                                             "version": version})
        assert status in (400, 409), (version, status, refused)
        assert refused["message"]
    status, refused = await page.call(ADMIN_ID, "move", {
        "item_id": item.id, "stage_id": lost, "version": item.version,
        "lost_reason": "x" * 200_000})
    assert (status, refused["error"]) == (422, "lost_reason_refused"), refused
    assert (await all_items(crm))[0].version == item.version


async def test_two_boards_moving_one_card_at_once_move_it_once(
        tg: FakeTelegram, board: tuple[CrmBot, Page]) -> None:  # noqa: F811 - imported fixture
    crm, page = board
    ada = await admin(tg)
    await say(tg, ada, "/new deal Contended")
    item = (await all_items(crm))[0]
    _status, answer = await page.call(ADMIN_ID, "board", pipeline_id=DEALS, scope="all")
    targets = [c["stage"]["id"] for c in answer["columns"][1:3]]
    results = await asyncio.gather(*(page.call(ADMIN_ID, "move", {
        "item_id": item.id, "stage_id": target, "version": item.version})
        for target in targets))
    assert sorted(status for status, _ in results) == [200, 409], results
    moved = (await all_items(crm))[0]
    assert moved.version == item.version + 1
