"""The outbox never lets one chat hold up the others: a chat Telegram told to wait waits
alone, its messages still in order; another chat's later message goes out at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.app import CrmBot
from crm.clock import FrozenClock
from rules.outbox.pacing import Pacer
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.journeys.automation_steps import add_rule
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, all_items, say, stored_staff

ANNA, BEN = 3001, 3002


class ManualTime:
    """The pacer's clock: Telegram's pauses pass when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


async def connected_deal(tg: FakeTelegram, crm: CrmBot, staff: FakeUser, client_id: int,
                         name: str) -> int:
    """A deal whose contact has connected their chat through the start link."""
    await say(tg, staff, f"/new deal Order of {name}; 100; {name}")
    deal = (await all_items(crm))[-1]
    assert deal.contact_id is not None
    client = tg.user(client_id, name)
    assert "You are connected" in (await say(
        tg, client, f"/start {crm.links.payload(deal.contact_id)}")).rendered
    return deal.id


async def win(crm: CrmBot, deal_id: int) -> None:
    ada = await stored_staff(crm, ADMIN_ID)
    stage = await crm.services.items.resolve_stage(await crm.services.items.get(ada, deal_id),
                                                   "won")
    await crm.services.items.move(ada, deal_id, stage.id)


def texts(tg: FakeTelegram, chat_id: int) -> list[str]:
    return [m.rendered for m in tg.messages_to(chat_id) if m.rendered in ("First", "Second")]


async def test_a_chat_told_to_wait_30_s_does_not_delay_another_chat(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    time = ManualTime()
    pacer = Pacer(per_second=float("inf"), chat_interval=0.0, monotonic=time.monotonic)
    running = await start_bot(make_settings(tg, tg.base_url or "", tmp_path), clock, pacer)
    crm = running.app
    try:
        ada = await admin(tg)
        for text in ("First", "Second"):
            await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": text}, title=text)
        anna_deal = await connected_deal(tg, crm, ada, ANNA, "Anna")
        ben_deal = await connected_deal(tg, crm, ada, BEN, "Ben")

        tg.fail_next("sendMessage", 429, retry_after=30, chat_id=ANNA)
        await win(crm, anna_deal)
        await tg.wait_for_call("sendMessage", lambda c: c.chat_id == ANNA and not c.ok)
        await win(crm, ben_deal)
        loop = asyncio.get_running_loop()
        started = loop.time()
        await tg.wait_for_message(BEN, lambda m: m.rendered == "Second", since=0, timeout=1.0)
        assert loop.time() - started < 1.0
        await tg.wait_until_idle()
        assert texts(tg, BEN) == ["First", "Second"]
        assert texts(tg, ANNA) == []  # still waiting, as Telegram said
        async with crm.services.uow(write=False) as uow:
            assert await repos(uow).outbox.counts() == {"pending": 2, "sent": 2}

        clock.advance(seconds=30)  # the wait is over: Anna's messages go, in order
        time.now += 30
        crm.automation.outbox.wake()
        await tg.wait_for_message(ANNA, lambda m: m.rendered == "Second", since=0)
        assert texts(tg, ANNA) == ["First", "Second"]
    finally:
        await running.stop()
