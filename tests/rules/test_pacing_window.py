"""The pacer never lets Telegram see more than 28 sends in any one second at 28/s: also when
the event loop was held up and every sleeper woke at once, and when sends took a while on
the way (29–32 in one second arrived at the fake Bot API in bench/two_processes.py before
sends were counted from their start to their end)."""

from __future__ import annotations

import asyncio
import itertools
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


async def test_one_chat_hears_at_most_once_a_second_also_after_a_slow_upload() -> None:
    """A chat's sends arrive when their requests end: a document whose upload took 0.8 s,
    then a message, reach the chat 1.05 s apart, not 0.25 s."""
    time = LateLoop(late=0.01)
    pacer = Pacer(per_second=28.0, chat_interval=1.05, monotonic=time.monotonic,
                  sleep=time.sleep)
    arrived: list[float] = []

    async def send(took: float) -> None:
        await pacer.turn(42)
        await time.sleep(took)
        arrived.append(time.now)  # at the request's end, at the latest
        pacer.done(42)

    await asyncio.gather(send(0.8), send(0.05), send(0.3), send(0.05))
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrived)]
    assert len(gaps) == 3 and min(gaps) >= 1.05 - 1e-9, gaps
    assert arrived[-1] < 0.8 + 0.05 + 0.3 + 0.05 + 3 * 1.05 + 0.1  # and no slower than that
