"""The staff of bench/scale_out.py: sellers who open their deals' cards and press the cards'
stage buttons (◀ / ▶ between the open stages), as the fake Bot API delivers such presses.

Each seller presses once the previous press was answered (a person waits for the toast);
all sellers together keep to a rate. A press's latency runs from its push to the fake until
the bot's answerCallbackQuery reaches the fake (the card edit comes before the answer).
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Any

from bench.scale_out_setup import OPEN_STAGES
from bot.items.callbacks import CardAction, CardCb
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage

ANSWER_WAIT = 90.0  # a press not answered by then counts as unanswered (a dead worker's
# Redis lock on its users' updates lasts 60 s: their presses are answered after that)


@dataclass
class Press:
    update_id: int
    query_id: str
    item_id: int
    pushed: float
    phase: str
    answered: float | None = None
    toast: str | None = None


@dataclass
class Answers:
    """answerCallbackQuery calls as they reach the fake, by query id."""

    tg: FakeTelegram
    waiting: dict[str, asyncio.Future[tuple[float, str | None]]] = field(default_factory=dict)
    _seen: int = 0

    async def watch(self) -> None:
        calls = self.tg.calls
        while True:
            while self._seen < len(calls):
                call = calls[self._seen]
                self._seen += 1
                if call.method == "answerCallbackQuery":
                    future = self.waiting.pop(str(call.params.get("callback_query_id")), None)
                    if future is not None and not future.done():
                        future.set_result((call.at, call.params.get("text")))
            await asyncio.sleep(0.002)


class Staff:
    def __init__(self, tg: FakeTelegram, sellers: dict[int, list[int]], rng: random.Random,
                 rate: float) -> None:
        self.tg = tg
        self.users = {uid: tg.user(uid, f"Seller {uid}") for uid in sellers}
        self.items = sellers
        self.rng = rng
        self.rate = rate
        self.cards: dict[int, SentMessage] = {}
        self.presses: list[Press] = []
        self.unpressable = 0  # a card without a stage button to press
        self.go = asyncio.Event()
        self.go.set()
        self.answers = Answers(tg)
        self._marks: dict[int, asyncio.Event] = {}
        self._taken = 0
        self._next_slot = 0.0
        self._watching = asyncio.create_task(self.answers.watch())

    async def stop(self) -> None:
        self._watching.cancel()
        await asyncio.gather(self._watching, return_exceptions=True)

    async def open_cards(self, deadline: float) -> None:
        """Every seller sends /item N for each of their deals; the cards the bot answers
        with are what they press on."""
        for uid, items in self.items.items():
            for item_id in items:
                self.users[uid].send(f"/item {item_id}")
        wanted = sum(len(items) for items in self.items.values())
        while len(self.cards) < wanted:
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: {len(self.cards)} of {wanted} cards came")
            await asyncio.sleep(0.5)
            for message in list(self.tg.sent):
                shown = _card_item(message)
                if shown is not None and message.chat_id in self.users:
                    self.cards[shown] = message

    def mark(self, n: int) -> asyncio.Event:
        """Set once the n-th press (of the next run) has been pushed."""
        return self._marks.setdefault(n, asyncio.Event())

    async def run(self, presses: int, phase: str, rate: float | None = None) -> float:
        """`presses` presses by all sellers at once; the seconds they took."""
        self._taken, started = 0, time.monotonic()
        self._next_slot = started
        interval = 1.0 / (rate or self.rate)
        await asyncio.gather(*(self._seller(uid, presses, phase, interval)
                               for uid in self.users))
        return time.monotonic() - started

    async def quiet(self) -> None:
        """Until every press pushed so far was answered (or given up on)."""
        while self.answers.waiting:
            await asyncio.gather(*self.answers.waiting.values(), return_exceptions=True)

    async def _seller(self, uid: int, presses: int, phase: str, interval: float) -> None:
        user = self.users[uid]
        while True:
            await self.go.wait()
            if self._taken >= presses:
                return
            self._taken += 1
            if event := self._marks.get(self._taken):
                event.set()
            slot = max(time.monotonic(), self._next_slot)
            self._next_slot = slot + interval
            await asyncio.sleep(slot - time.monotonic())
            await self._press_one(user, phase)

    async def _press_one(self, user: FakeUser, phase: str) -> None:
        item_id = self.rng.choice(self.items[user.id])
        card = self.cards[item_id]
        moves = [data for data in card.callback_datas if _stage_move(data)]
        if not moves:
            self.unpressable += 1
            return
        press = self._push(user, card, self.rng.choice(moves), item_id, phase)
        future: asyncio.Future[tuple[float, str | None]] = \
            asyncio.get_running_loop().create_future()
        self.answers.waiting[press.query_id] = future
        try:
            press.answered, press.toast = await asyncio.wait_for(future, ANSWER_WAIT)
        except TimeoutError:
            self.answers.waiting.pop(press.query_id, None)

    def _push(self, user: FakeUser, card: SentMessage, data: str, item_id: int,
              phase: str) -> Press:
        """FakeUser.press, keeping the update id (the proxy's deliveries name the worker)."""
        state = self.tg.state
        query_id = str(7_000_000_000_000_000 + state.new_id())
        state.open_queries.add(query_id)
        query: dict[str, Any] = {
            "id": query_id, "from": user.data, "message": state.message_json(card),
            "chat_instance": str(card.chat_id * 7 + 1_000_000_000), "data": data}
        pushed = time.monotonic()
        update_id = state.updates.push({"callback_query": query})
        press = Press(update_id, query_id, item_id, pushed, phase)
        self.presses.append(press)
        return press


def _unpack(data: str | None) -> CardCb | None:
    if not data or not data.startswith(f"{CardCb.__prefix__}{CardCb.__separator__}"):
        return None
    try:
        return CardCb.unpack(data)
    except (ValueError, TypeError):
        return None


def _stage_move(data: str) -> bool:
    unpacked = _unpack(data)
    return unpacked is not None and unpacked.action is CardAction.MOVE \
        and unpacked.stage_id in OPEN_STAGES


def _card_item(message: SentMessage) -> int | None:
    for data in message.callback_datas:
        unpacked = _unpack(data)
        if unpacked is not None and unpacked.action is CardAction.REFRESH:
            return unpacked.item_id
    return None
