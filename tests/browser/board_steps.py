"""What a user does on the board and what they see there, one step each."""

from __future__ import annotations

import io

from PIL import Image
from playwright.async_api import Locator, Page

from bot.app import CrmBot
from crm.models import Item

Point = tuple[float, float]


def column(page: Page, stage_id: int) -> Locator:
    """The cards of a stage's column."""
    return page.locator(f'.cards[data-stage-id="{stage_id}"]')


def card(page: Page, item_id: int) -> Locator:
    return page.locator(f'.card[data-item-id="{item_id}"]')


async def stage_ids(crm: CrmBot, item: Item) -> dict[str, int]:
    """The stages of the item's pipeline by their code."""
    _pipeline, stages = await crm.services.catalog.pipeline(item.pipeline_id)
    return {stage.code or "": stage.id for stage in stages}


async def column_of(page: Page, item_id: int) -> int:
    """The stage whose column shows the card."""
    found = await card(page, item_id).locator("xpath=..").get_attribute("data-stage-id")
    assert found is not None
    return int(found)


async def head_count(page: Page, stage_id: int) -> str:
    return await page.locator(f'.column[data-stage-id="{stage_id}"] .column-count').inner_text()


async def drag(page: Page, item_id: int, stage_id: int, *, touch: bool = False) -> None:
    """Drags the card onto the stage's column as a person does — with the mouse (press,
    move in small steps, release) or a finger (touch, hold, move, lift) — and waits for the
    page to deal with the server's first answer to the move."""
    source = await card(page, item_id).bounding_box()
    target = await column(page, stage_id).bounding_box()
    assert source is not None and target is not None, "card or column not on screen"
    start = (source["x"] + source["width"] / 2, source["y"] + source["height"] / 2)
    end = (target["x"] + target["width"] / 2, target["y"] + 30)
    async with page.expect_response(lambda r: r.url.endswith("/api/move")):
        await (_touch_drag(page, start, end) if touch else _mouse_drag(page, start, end))
    await settled(page)


async def _mouse_drag(page: Page, start: Point, end: Point) -> None:
    await page.mouse.move(*start)
    await page.mouse.down()
    await page.mouse.move(start[0] + 12, start[1] + 12, steps=4)
    await page.mouse.move(*end, steps=12)
    await page.wait_for_timeout(150)  # SortableJS looks where the card is every 50 ms
    await page.mouse.up()


async def _touch_drag(page: Page, start: Point, end: Point) -> None:
    """Real touch input (Chromium's DevTools protocol): Playwright itself only taps."""
    session = await page.context.new_cdp_session(page)

    async def touch(kind: str, at: Point | None) -> None:
        points = [] if at is None else [{"x": at[0], "y": at[1]}]
        await session.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    await touch("touchStart", start)
    await page.wait_for_timeout(400)  # held: a drag, not a swipe that scrolls the board
    steps = 12
    for step in range(1, steps + 1):
        share = step / steps
        await touch("touchMove", (start[0] + (end[0] - start[0]) * share,
                                  start[1] + (end[1] - start[1]) * share))
        await page.wait_for_timeout(20)
    await page.wait_for_timeout(150)
    await touch("touchEnd", None)
    await session.detach()


async def settled(page: Page) -> None:
    """Until the page has dealt with the answer: no card waits for the server, and the board
    has been read again if it was to be (or a question is open)."""
    await page.wait_for_function(
        "() => !document.querySelector('.card.pending') && ("
        "document.body.dataset.state === 'ready' || !!document.querySelector('dialog[open]'))")


async def notice(page: Page) -> str:
    """The page's last message (it hides itself after a few seconds)."""
    return await page.locator("#notice").text_content() or ""


def variety(png: bytes) -> tuple[int, float]:
    """How many colours a screenshot has, and the share of its most common one: a blank or
    single-colour page has one colour at 100 %."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 24)
    assert colours is not None
    most = max(count for count, _colour in colours)
    return len(colours), most / (image.width * image.height)
