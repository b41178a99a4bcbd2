"""The pacer never lets Telegram see more than 28 sends in any one second at 28/s: also when
the event loop was held up and every sleeper woke at once, and when sends took a while on
the way (29–32 in one second arrived at the fake Bot API in bench/two_processes.py before
sends were counted from their start to their end)."""

from __future__ import annotations

import asyncio
import random

from rules.outbox.pacing import Pacer


class LateLoop:
    """Virtual time whose sleeps all end late, at the next multiple of `late` seconds: the
    event loop was busy, so the sleepers wake together."""

    def __init__(self, late: float) -> None:
        self.now = 0.0
        self.late = late

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        target = self.now + max(seconds, 0.0)
        await asyncio.sleep(0)
        wake = -(-target // self.late) * self.late  # rounded up to the loop's next turn
        self.now = max(self.now, wake)


def busiest_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1.0) for start in times)


async def test_no_second_at_telegram_holds_more_than_28_sends() -> None:
    time = LateLoop(late=0.25)
    pacer = Pacer(per_second=28.0, chat_interval=0.0, monotonic=time.monotonic,
                  sleep=time.sleep)
    arrived: list[float] = []
    chance = random.Random(7)

    async def send(chat: int) -> None:
        await pacer.take(chat)
        started = time.now
        await time.sleep(chance.choice([0.0, 0.0, 0.3]))  # some wait for their connection
        arrived.append(chance.uniform(started, time.now))  # somewhere on the way
        pacer.done(chat)

    await asyncio.gather(*(send(chat) for chat in range(1, 141)))
    assert len(arrived) == 140
    assert busiest_second(arrived) <= 28
    assert max(arrived) - min(arrived) < 140 / 28 * 3  # and it goes on (sends here are slow)


async def test_an_unlimited_pacer_does_not_count() -> None:
    pacer = Pacer(per_second=float("inf"), chat_interval=0.0)
    await asyncio.gather(*(pacer.take(chat) for chat in range(1, 1001)))
