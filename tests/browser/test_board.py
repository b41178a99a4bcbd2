"""The board in a real browser (Debian's Chromium through Playwright): opened as Telegram
opens a Mini App, a card dragged with the mouse moves the item as the chat's buttons do;
forged or expired sign-ins, someone else's item and a stale board are refused, and the
page says so; the board in German and in English, photographed."""

from __future__ import annotations

from decimal import Decimal

from playwright.async_api import Browser

from bot.board.texts import error_text
from crm.i18n import translate
from crm.models import Role, Staff
from crm.services.staff import TelegramUser
from rules.model import Rule, Timing, TimingMode
from tests.browser.board_steps import (
    card,
    column_of,
    drag,
    head_count,
    notice,
    settled,
    stage_ids,
    variety,
)
from tests.browser.conftest import ARTIFACTS, Site
from tests.browser.telegram_webapp import forged
from tests.conftest import ADMIN_ID, add_staff
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, press, say, seed

SAM, MIA = 2002, 2003


async def ada_staff(site: Site) -> Staff:
    ada = await site.crm.services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
    assert ada is not None
    return ada


async def test_a_dragged_card_moves_the_item_and_the_chat_card_knows(
        tg: FakeTelegram, site: Site, browser: Browser) -> None:
    ada = await admin(tg)
    deal = await seed(site.crm, ADMIN_ID, "deal", "Website relaunch", amount=Decimal(15000),
                      contact_name="Carl Client")
    chat_card = await say(tg, ada, f"/item {deal.id}")
    stages = await stage_ids(site.crm, deal)
    reminder = Rule(0, "", 0, stages["preparing_documents"], 0, "Remind the client",
                    "message_client", {"text": "Any news?"},
                    timing=Timing(mode=TimingMode.DELAY, amount=30))
    await site.crm.automation.rules.add(await ada_staff(site), reminder)
    page = await site.open(browser, site.init_data(site.user(ADMIN_ID, "Ada")))
    assert await page.evaluate("[window.__telegram.ready, window.__telegram.expand]") == [1, 1]
    shown = await card(page, deal.id).inner_text()
    assert "Website relaunch" in shown and "Carl Client" in shown and "15,000.00" in shown
    assert await column_of(page, deal.id) == stages["new"]
    assert await head_count(page, stages["new"]) == "1"

    await drag(page, deal.id, stages["preparing_documents"])
    said = await notice(page)  # the move, and what the stage's rules do about it
    assert "Preparing documents" in said and "⏳ Remind the client" in said
    assert await column_of(page, deal.id) == stages["preparing_documents"]  # as read again
    assert await head_count(page, stages["new"]) == "0"
    assert await head_count(page, stages["preparing_documents"]) == "1"
    ada_now = await ada_staff(site)
    stored = await site.crm.services.items.get(ada_now, deal.id)
    assert stored.stage_id == stages["preparing_documents"]
    history = await site.crm.services.items.history(ada_now, deal.id)
    assert history[-1].by_user_id == ADMIN_ID

    # the card in the chat was not moved along silently: its old buttons move nothing and
    # show the item as it is now
    toast = await press(tg, ada, chat_card, "Preparing documents ▶")
    assert toast.text == "Nothing moved: the card was out of date."
    assert "▶️ Preparing documents" in chat_card.rendered

    # a tap shows the details, with a button that opens the item in the chat
    await card(page, deal.id).click()
    details = page.locator("#details")
    await details.wait_for(state="visible")
    assert "Website relaunch" in await details.inner_text()
    assert "Carl Client" in await details.inner_text()
    assert "⏳ Remind the client" in await details.locator(".automation").inner_text()
    await page.locator("#details-open").click()
    opened = await page.evaluate("window.__telegram.opened")
    username = tg.state.bot_user["username"]
    assert opened == [f"https://t.me/{username}?start=item_{deal.id}"]


async def test_closing_by_finger_asks_what_the_chat_asks(site: Site, browser: Browser) -> None:
    """Onto "lost": the reason; a won item back into an open stage: whether to reopen it."""
    ada = await ada_staff(site)
    deal = await seed(site.crm, ADMIN_ID, "deal", "Too expensive")
    stages = await stage_ids(site.crm, deal)
    won = await seed(site.crm, ADMIN_ID, "deal", "Signed too early")
    await site.crm.services.items.move(ada, won.id, stages["won"])
    page = await site.open(browser, site.init_data(site.user(ADMIN_ID, "Ada")), touch=True)

    await drag(page, deal.id, stages["lost"], touch=True)
    question = page.locator("#lost")
    await question.wait_for(state="visible")
    assert (await site.crm.services.items.get(ada, deal.id)).stage_id == stages["new"]
    async with page.expect_response(lambda r: r.url.endswith("/api/move")):
        await question.get_by_role("button", name="Price").click()
    await settled(page)
    stored = await site.crm.services.items.get(ada, deal.id)
    assert stored.stage_id == stages["lost"] and stored.closed
    assert await column_of(page, deal.id) == stages["lost"]
    assert stored.lost_reason == "Price"

    await drag(page, won.id, stages["in_progress"], touch=True)
    confirm = page.locator("#confirm")
    await confirm.wait_for(state="visible")
    assert await confirm.locator("#confirm-message").inner_text() == translate(
        "This item is won. Reopen it?", "en")
    assert (await site.crm.services.items.get(ada, won.id)).stage_id == stages["won"]
    async with page.expect_response(lambda r: r.url.endswith("/api/move")):
        await confirm.locator("#confirm-ok").tap()
    await settled(page)
    reopened = await site.crm.services.items.get(ada, won.id)
    assert reopened.stage_id == stages["in_progress"] and not reopened.closed
    assert await column_of(page, won.id) == stages["in_progress"]


async def test_forged_and_expired_sign_ins_are_refused(site: Site, browser: Browser) -> None:
    await ada_staff(site)
    refused = error_text("unauthorized", "en")
    genuine = site.init_data(site.user(ADMIN_ID, "Ada"))
    page = await site.open(browser, forged(genuine), ready=False)
    assert await page.locator(".fatal").inner_text() == refused
    assert await page.locator(".card").count() == 0

    max_age = site.crm.settings.webapp_auth_max_age
    expired = site.init_data(site.user(ADMIN_ID, "Ada", age_seconds=max_age + 60))
    page = await site.open(browser, expired, ready=False)
    assert await page.locator(".fatal").inner_text() == refused

    page = await site.open(browser, genuine)  # the genuine one, for contrast
    assert await page.locator(".column").count() == 7


async def test_a_salesperson_cannot_move_someone_elses_item(
        site: Site, browser: Browser) -> None:
    ada = await ada_staff(site)
    await add_staff(site.crm.services, ada, SAM, Role.SALES)
    await add_staff(site.crm.services, ada, MIA, Role.SALES)
    deal = await seed(site.crm, ADMIN_ID, "deal", "Handed on", responsible_id=SAM)
    stages = await stage_ids(site.crm, deal)
    page = await site.open(browser, site.init_data(site.user(SAM, "Sam")))
    assert await page.locator("#scope").is_hidden()  # a salesperson sees their own only
    assert await column_of(page, deal.id) == stages["new"]

    await site.crm.services.editing.assign(ada, deal.id, str(MIA))  # meanwhile: Mia's now
    await drag(page, deal.id, stages["preparing_documents"])
    assert await notice(page) == error_text("forbidden", "en")
    assert await column_of(page, deal.id) == stages["new"]  # put back
    assert (await site.crm.services.items.get(ada, deal.id)).stage_id == stages["new"]


async def test_a_stale_board_refuses_the_move_and_shows_the_truth(
        site: Site, browser: Browser) -> None:
    ada = await ada_staff(site)
    deal = await seed(site.crm, ADMIN_ID, "deal", "Busy deal")
    stages = await stage_ids(site.crm, deal)
    page = await site.open(browser, site.init_data(site.user(ADMIN_ID, "Ada")))

    await site.crm.services.items.move(ada, deal.id, stages["in_progress"])  # elsewhere
    await drag(page, deal.id, stages["preparing_documents"])
    assert await notice(page) == error_text("stale", "en")
    assert await column_of(page, deal.id) == stages["in_progress"]  # refreshed
    assert (await site.crm.services.items.get(ada, deal.id)).stage_id == stages["in_progress"]


async def test_the_board_in_german_and_english(site: Site, browser: Browser) -> None:
    ada = await ada_staff(site)
    for number, (title, amount, contact) in enumerate(
            [("Website relaunch", 15000, "Carl Client"), ("Shop", 4200, "Dora Dietrich"),
             ("Hosting", 990, None), ("Support contract", 12000, "Erik Early")]):
        deal = await seed(site.crm, ADMIN_ID, "deal", title, amount=Decimal(amount),
                          contact_name=contact)
        stages = await stage_ids(site.crm, deal)
        target = ["new", "preparing_documents", "in_progress", "won"][number]
        if target != "new":
            await site.crm.services.items.move(ada, deal.id, stages[target])
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("*\n")  # to look at, not to commit
    for language, scheme in (("de", "light"), ("en", "dark")):
        user = site.user(ADMIN_ID, "Ada", language=language)
        page = await site.open(browser, site.init_data(user), color_scheme=scheme)
        assert await page.evaluate("document.documentElement.lang") == language
        search = await page.locator("#search").get_attribute("placeholder")
        assert search == translate("Search title, client, phone…", language)
        assert await page.locator(".column").count() == 7
        heads = await page.locator(".column .name").all_inner_texts()
        assert heads[0] == ("Neu" if language == "de" else "New")
        png = await page.screenshot(path=ARTIFACTS / f"board-{language}.png")
        colours, commonest = variety(png)
        assert colours > 50 and commonest < 0.9, (colours, commonest)  # not blank


async def test_a_long_column_pages_and_search_narrows_the_board(
        site: Site, browser: Browser) -> None:
    await ada_staff(site)
    deals = [await seed(site.crm, ADMIN_ID, "deal", f"Deal {n}") for n in range(33)]
    special = await seed(site.crm, ADMIN_ID, "deal", "Lighthouse", contact_name="Olga Ort")
    new = (await stage_ids(site.crm, special))["new"]
    page = await site.open(browser, site.init_data(site.user(ADMIN_ID, "Ada")))
    cards_in_new = page.locator(f'.cards[data-stage-id="{new}"] .card')
    assert await head_count(page, new) == "34"
    assert await cards_in_new.count() == 30  # the first page, newest first
    assert await column_of(page, special.id) == new

    await page.locator(f'.column[data-stage-id="{new}"] .more').click()
    await page.wait_for_function(f"""() => document.querySelectorAll(
        '.cards[data-stage-id="{new}"] .card').length === 34""")
    assert await page.locator(f'.column[data-stage-id="{new}"] .more').is_hidden()
    assert await card(page, deals[0].id).count() == 1  # the oldest, on the second page

    await page.locator("#search").fill("olga")  # a contact's name finds the item
    await page.wait_for_function(f"""() => document.body.dataset.state === 'ready' &&
        document.querySelectorAll('.cards[data-stage-id="{new}"] .card').length === 1""")
    assert await cards_in_new.all_inner_texts() == [await card(page, special.id).inner_text()]
    assert await head_count(page, new) == "1"
