"""What a user does on the board and what they see there, one step each."""

from __future__ import annotations

import io

from PIL import Image
from playwright.async_api import Locator, Page

from bot.app import CrmBot
from crm.models import Item


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


async def drag(page: Page, item_id: int, stage_id: int) -> None:
    """Drags the card onto the stage's column with the mouse as a person does (press, move
    in small steps, release), and waits for the server's first answer to the move."""
    source = await card(page, item_id).bounding_box()
    target = await column(page, stage_id).bounding_box()
    assert source is not None and target is not None, "card or column not on screen"
    x, y = source["x"] + source["width"] / 2, source["y"] + source["height"] / 2
    async with page.expect_response(lambda r: r.url.endswith("/api/move")):
        await page.mouse.move(x, y)
        await page.mouse.down()
        await page.mouse.move(x + 12, y + 12, steps=4)
        await page.mouse.move(target["x"] + target["width"] / 2, target["y"] + 30, steps=12)
        await page.wait_for_timeout(150)  # SortableJS looks where the card is every 50 ms
        await page.mouse.up()
    await settled(page)


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
