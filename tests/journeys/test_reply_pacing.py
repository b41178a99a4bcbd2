"""Answers are paced like the outbox: forty commands at once from one chat all get their
answer, in the order they were sent, without the bot causing a 429, and none is dropped
while Telegram says "wait". Time is virtual: the pacer's sleeps move the clock that the
fake's flood limits read, so the forty seconds Telegram's limits need pass at once."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from crm.clock import FrozenClock
from rules.outbox.pacing import Pacer
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.fake_telegram.faults import RateLimiter
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin


class VirtualTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


async def test_forty_commands_at_once_are_all_answered_in_order(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    time = VirtualTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)  # the production budget
    running = await start_bot(make_settings(tg, tg.base_url or "", tmp_path), clock, pacer)
    try:
        ada = await admin(tg)
        tg.state.limiter = RateLimiter(per_second=30, per_chat_per_second=1,
                                       clock=time.monotonic)  # Telegram's limits
        tg.fail_next("sendMessage", 429, retry_after=5, chat_id=ADMIN_ID)  # and it says wait
        since = len(tg.sent)
        for number in range(1, 41):
            ada.send(f"/new deal Order {number}")
        await tg.wait_for_message(ADMIN_ID, lambda m: "Order 40" in m.rendered, since=since,
                                  timeout=30)
        await tg.wait_until_idle()
        answered = [re.search(r"Order (\d+)", m.rendered) for m in tg.sent[since:]]
        assert [int(found.group(1)) for found in answered if found] == list(range(1, 41))
        assert tg.rate_limited_count == 0  # the pacer kept within the limits
        assert [c.error_code for c in tg.calls_to("sendMessage")].count(429) == 1
        assert time.now - 1000.0 >= 5 + 39 * 1.0  # the told wait, then one a second
    finally:
        await running.stop()
