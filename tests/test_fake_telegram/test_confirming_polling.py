"""Polling confirms an update to Telegram only once it was handled: whatever a killed
process had fetched but not finished is still waiting at Telegram for the next start."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.types import Message

from bot.telegram.polling import ConfirmingPoller, PollingConflict
from tests.fake_telegram import FakeTelegram

USER_ID = 5002


class SlowBot:
    """Answers every text; a text "slow" waits until the test lets it go."""

    def __init__(self) -> None:
        self.dp = Dispatcher()
        self.release = asyncio.Event()
        self.handled: list[str] = []
        self.dp.message(F.text)(self._answer)

    async def _answer(self, message: Message) -> None:
        if message.text == "slow":
            await self.release.wait()
        self.handled.append(message.text or "")
        await message.answer(f"ok {message.text}")


@pytest.fixture
async def running(tg: FakeTelegram, bot: Bot) -> AsyncIterator[tuple[SlowBot, ConfirmingPoller]]:
    slow = SlowBot()
    poller = ConfirmingPoller(slow.dp, bot, timeout=1)
    task = asyncio.create_task(poller.run())
    await poller.wait_started()
    yield slow, poller
    slow.release.set()
    poller.stop()
    await task


async def _answered(tg: FakeTelegram, text: str) -> None:
    await tg.wait_for_message(USER_ID, lambda m: m.text == f"ok {text}", since=0)


async def _all_confirmed(tg: FakeTelegram) -> None:
    """Two more getUpdates calls: the first after the last handler finished confirms."""
    await tg.wait_for_polling(polls=tg.poll_count + 2)


def _pending_texts(tg: FakeTelegram) -> list[str]:
    return [u["message"]["text"] for u in tg.pending_updates if "message" in u]


async def test_an_update_still_being_handled_stays_unconfirmed(
        tg: FakeTelegram, running: tuple[SlowBot, ConfirmingPoller]) -> None:
    slow, _poller = running
    user = tg.user(user_id=USER_ID, first_name="Uwe")
    user.send("slow")
    for n in range(3):
        user.send(f"fast {n}")
        await _answered(tg, f"fast {n}")
    user.send("after")  # another getUpdates call happens while "slow" is still running
    await _answered(tg, "after")
    await tg.wait_for_polling(polls=tg.poll_count + 1)
    assert _pending_texts(tg)[0] == "slow"  # a kill now: Telegram still has it
    slow.release.set()
    await _answered(tg, "slow")
    await _all_confirmed(tg)
    assert _pending_texts(tg) == []
    assert sorted(slow.handled) == ["after", "fast 0", "fast 1", "fast 2", "slow"]


async def test_updates_fetched_again_while_in_flight_are_handled_once(
        tg: FakeTelegram, running: tuple[SlowBot, ConfirmingPoller]) -> None:
    slow, _poller = running
    user = tg.user(user_id=USER_ID, first_name="Uwe")
    user.send("slow")
    for n in range(5):
        user.send(f"fast {n}")
        await _answered(tg, f"fast {n}")
    slow.release.set()
    await _answered(tg, "slow")
    await _all_confirmed(tg)
    assert _pending_texts(tg) == []
    assert sorted(slow.handled) == ["fast 0", "fast 1", "fast 2", "fast 3", "fast 4", "slow"]
    assert len([m for m in tg.messages_to(USER_ID) if m.rendered.startswith("ok")]) == 6


CONFLICT = "Conflict: terminated by other getUpdates request"


async def test_one_conflict_is_forgiven_and_polling_goes_on(tg: FakeTelegram, bot: Bot) -> None:
    slow = SlowBot()
    poller = ConfirmingPoller(slow.dp, bot, timeout=1)
    conflict = tg.fail_next("getUpdates", 409, description=CONFLICT)  # a predecessor's poll
    task = asyncio.create_task(poller.run())
    await poller.wait_started()
    tg.user(user_id=USER_ID, first_name="Uwe").send("hello")
    await _answered(tg, "hello")
    assert conflict.hits == 1
    poller.stop()
    await task


async def test_a_second_conflict_in_a_row_ends_polling(tg: FakeTelegram, bot: Bot) -> None:
    slow = SlowBot()
    poller = ConfirmingPoller(slow.dp, bot, timeout=1)
    tg.fail_next("getUpdates", 409, description=CONFLICT, times=2)  # another consumer
    with pytest.raises(PollingConflict) as ended:
        await asyncio.wait_for(poller.run(), 10)
    assert ended.value.description == CONFLICT
