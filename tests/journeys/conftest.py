"""Journeys: the real bot, polling a fake Telegram Bot API server over loopback HTTP."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import CrmBot, create_app
from bot.settings import Settings
from bot.telegram.polling import ConfirmingPoller
from crm.clock import FrozenClock
from rules.outbox.pacing import Pacer
from tests.conftest import ADMIN_ID
from tests.databases import database_location, database_settings
from tests.fake_telegram import FakeTelegram
from tests.journeys.bot_processes import BotProcesses


def make_settings(tg: FakeTelegram, base_url: str, tmp_path: Path, **extra: Any) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=tg.token,
        telegram_api_base=base_url,
        **database_settings(database_location(tmp_path)),
        admin_ids=[ADMIN_ID],
        default_language="en",
        timezone="Europe/Berlin",
        data_dir=tmp_path / "data",
        **{"default_rules": False, **extra},  # journeys add the rules they are about
    )


STOP_LIMIT = 60.0  # seconds; the bot's own shutdown grace is 10 s


@dataclass
class Running:
    app: CrmBot
    poller: ConfirmingPoller
    task: asyncio.Task[None]

    async def stop(self) -> None:
        """Stops polling and closes the bot; a stop that hangs fails after STOP_LIMIT with
        every task's stack (pytest-timeout's dump shows threads only)."""
        try:
            await asyncio.wait_for(self._stop(), STOP_LIMIT)
        except TimeoutError:
            stacks = io.StringIO()
            for task in asyncio.all_tasks():
                task.print_stack(file=stacks)
            raise AssertionError(f"the bot did not stop within {STOP_LIMIT} s; its tasks:\n"
                                 f"{stacks.getvalue()}") from None

    async def _stop(self) -> None:
        self.poller.stop()
        await self.task
        await self.app.close()


def unpaced() -> Pacer:
    """No pacing (the fake has no flood limits unless a test sets them); a pause Telegram
    asks for still holds, in real time."""
    return Pacer(per_second=float("inf"), chat_interval=0.0, group_per_minute=1_000_000)


async def start_bot(settings: Settings, clock: FrozenClock, pacer: Pacer | None = None
                    ) -> Running:
    app = await create_app(settings, clock=clock, pacer=pacer or unpaced())
    poller = ConfirmingPoller(app.dp, app.bot, timeout=1)
    return Running(app, poller, asyncio.create_task(poller.run()))


@pytest.fixture
async def bots(tg: FakeTelegram, tmp_path: Path) -> AsyncIterator[BotProcesses]:
    """Starts real `python -m bot` processes; those still running at the end are killed."""
    async with BotProcesses(tg, tmp_path) as started:
        yield started


@pytest.fixture
async def crm(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> AsyncIterator[CrmBot]:
    running = await start_bot(make_settings(tg, tg.base_url or "", tmp_path), clock)
    yield running.app
    await running.stop()
