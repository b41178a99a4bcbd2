"""Browser tests of the board: the real bot (polling the fake Bot API, a real SQLite file)
serves the board on its polling-mode listener, and Debian's Chromium, driven by Playwright,
opens it as Telegram would — Telegram's script replaced by a stand-in with a signed initData.

Playwright's own browser download cannot work on these machines: the tests use the system's
Chromium (`apt-get install chromium`; CHROMIUM_PATH names another one)."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, Route, async_playwright

from bot.app import CrmBot
from crm.clock import FrozenClock
from tests.browser.telegram_webapp import TELEGRAM_SCRIPT, WebAppUser, script
from tests.fake_telegram import FakeTelegram
from tests.journeys.conftest import make_settings, start_bot

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FOUND = CHROMIUM.exists()
ARTIFACTS = Path(__file__).parent / "artifacts"  # screenshots to look at (ignored by git)
WAIT_MS = 30_000  # the longest any one thing in the page may take (the first test starts cold)
OFF_LOOPBACK = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not CHROMIUM_FOUND:
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                    headless=True)
        yield chromium
        await chromium.close()


@dataclass
class Site:
    """The running bot and where its board is."""

    crm: CrmBot
    url: str  # http://127.0.0.1:<port>/board/
    clock: FrozenClock
    script_errors: list[str] = field(default_factory=list)  # of every page: none expected

    def user(self, user_id: int, name: str, language: str = "en",
             age_seconds: int = 0) -> WebAppUser:
        """Telegram's description of `user_id` opening the board `age_seconds` ago."""
        signed_at = int(self.clock.now().timestamp()) - age_seconds
        return WebAppUser(user_id, name, language_code=language, auth_date=signed_at)

    def init_data(self, user: WebAppUser) -> str:
        return user.init_data(self.crm.settings.bot_token.get_secret_value())

    async def open(self, browser: Browser, init_data: str, *, color_scheme: str = "light",
                   ready: bool = True, touch: bool = False) -> Page:
        """A page of the board as Telegram opens it, with `init_data`; once it shows the
        board (`ready`) or whatever it shows instead. `touch`: on a touch screen."""
        # wide enough for all seven columns of the deal pipeline
        context = await browser.new_context(viewport={"width": 2048, "height": 720},
                                            has_touch=touch)
        page = await context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.on("pageerror", lambda error: self.script_errors.append(str(error)))

        async def refuse(route: Route) -> None:  # the page must work with no internet
            await route.abort()

        async def telegram(route: Route) -> None:
            await route.fulfill(body=script(init_data, color_scheme),
                                content_type="application/javascript")

        await page.route(OFF_LOOPBACK, refuse)
        await page.route(TELEGRAM_SCRIPT, telegram)  # routes registered later go first
        await page.goto(self.url)
        state = "ready" if ready else "ready], body[data-state=error"
        await page.wait_for_selector(f"body[data-state={state}]")
        return page


@pytest.fixture
async def site(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[Site]:
    settings = make_settings(tg, tg.base_url or "", tmp_path,
                             webapp_url="https://crm.example.test",
                             webapp_listen_host="127.0.0.1", webapp_listen_port=0)
    running = await start_bot(settings, clock)
    board = running.app.dp["board_web"]
    try:
        await tg.wait_for_polling(timeout=20)  # started: the bot's name is known
        await board.start_listener()  # as bot/runner.py does in polling mode
        opened = Site(running.app, f"{board.listening}/board/", clock)
        yield opened
        assert opened.script_errors == [], "the page's scripts failed"
    finally:
        await board.stop_listener()
        await running.stop()
