"""The pacer never lets more than 27 sends into any one second at 28/s, also when the event
loop was held up and every sleeper wakes at once (seen as 29–32 in one second in
bench/two_processes.py before the count)."""

from __future__ import annotations

import asyncio

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


async def test_no_second_holds_more_than_27_sends_even_when_sleepers_wake_together() -> None:
    time = LateLoop(late=0.25)
    pacer = Pacer(per_second=28.0, chat_interval=0.0, monotonic=time.monotonic,
                  sleep=time.sleep)
    sent: list[float] = []

    async def send(chat: int) -> None:
        await pacer.take(chat)
        sent.append(time.now)

    await asyncio.gather(*(send(chat) for chat in range(1, 141)))
    assert len(sent) == 140
    assert busiest_second(sent) <= 27
    assert sent[-1] - sent[0] < 140 / 27 + 1  # and still about as fast as allowed


async def test_an_unlimited_pacer_does_not_count() -> None:
    pacer = Pacer(per_second=float("inf"), chat_interval=0.0)
    await asyncio.gather(*(pacer.take(chat) for chat in range(1, 1001)))
