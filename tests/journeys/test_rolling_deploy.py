"""A rolling deploy in webhook mode: two real bot processes on one database behind one
webhook URL (the fake Bot API as the reverse proxy in front of them, round robin).

With a steady stream of /move commands from several users, process 2 starts, then process 1
gets SIGTERM while it is still answering an update: it stops listening at once (the proxy
sends everything new to process 2), finishes that update (its answer goes out, Telegram gets
its 200) and ends with exit code 0. Nothing is lost and nothing applied twice (each item's
stored stage history is exactly the moves its owner sent, in order), every command is
answered once, and a /new dialog begun on process 1 is finished on process 2.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from crm.clock import SystemClock
from crm.container import build_services
from crm.models import Role
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from tests.conftest import ADMIN_ID, add_staff
from tests.databases import database_location, query
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.journeys.bot_processes import BotProcesses, free_port
from tests.journeys.steps import press, say

MOVERS = (ADMIN_ID, 2001, 2002, 2003, 2004)  # each moves the deal they own, over and over
SLOW = 2005  # whose move process 1 is still answering when it is told to stop
DIALOG = 2006  # who begins /new on process 1 and finishes it on process 2
CYCLE = (2, 3, 4, 1)  # stage positions in the deal pipeline, moved to in turn
DEAL_STAGE_IDS = {1: 6, 2: 7, 3: 8, 4: 9}  # position → stage id (migration 002)
SECRET = "rolling-secret"


@dataclass
class Mover:
    """One user sending /move after /move, each once the last was answered."""

    user: FakeUser
    item_id: int
    sent: list[int] = field(default_factory=list)  # stage ids, in the order sent
    first_message: int = 0  # index in tg.sent before the first command

    async def run(self, tg: FakeTelegram, stop: asyncio.Event) -> None:
        self.first_message = len(tg.sent)
        while not stop.is_set():
            position = CYCLE[len(self.sent) % len(CYCLE)]
            since = len(tg.sent)
            self.user.send(f"/move {self.item_id} {position}")
            self.sent.append(DEAL_STAGE_IDS[position])
            await tg.wait_for_message(self.user.id, timeout=30, since=since)
            await asyncio.sleep(0.05)  # a steady stream, not a flood

    def replies(self, tg: FakeTelegram) -> int:
        return sum(1 for m in tg.sent[self.first_message:] if m.chat_id == self.user.id)


async def _prepare(db_path: str | Path) -> dict[int, int]:
    """The team, and one deal for each mover and for SLOW; returns user → item id."""
    db = Database(db_path)
    await db.open()
    services = build_services(db, SystemClock(), admin_ids=[ADMIN_ID])
    admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
    assert admin is not None
    team = {ADMIN_ID: admin}
    for user_id in (*MOVERS[1:], SLOW, DIALOG):
        team[user_id] = await add_staff(services, admin, user_id, Role.SALES)
    items = {}
    for user_id in (*MOVERS, SLOW):
        deal = await services.items.create(team[user_id], NewItem("deal", f"Deal {user_id}"))
        items[user_id] = deal.id
    await db.close()
    return items


async def until(tg: FakeTelegram, condition: Callable[[], bool], what: str,
                seconds: float = 60) -> None:
    """Until `condition` holds; it is checked whenever the fake sees activity."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() >= deadline:
            raise AssertionError(f"timed out waiting for {what}\n{tg.describe()}")
        await tg.state.changed.wait(min(0.5, deadline - loop.time()))


async def refused(port: int, seconds: float = 10) -> bool:
    """Whether connections to `port` are refused within `seconds`."""
    for _attempt in range(int(seconds * 10)):
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except (ConnectionRefusedError, ConnectionResetError):  # reset: closed meanwhile
            return True
        writer.close()
        await asyncio.sleep(0.1)
    return False


def stage_history(db_path: str | Path) -> dict[int, list[int]]:
    """Each item's moves (not its creation), as stored: item id → stage ids in order."""
    moves: dict[int, list[int]] = {}
    for item_id, stage_id in query(
            db_path, "SELECT item_id, to_stage_id FROM stage_history"
            " WHERE from_stage_id IS NOT NULL ORDER BY id"):
        moves.setdefault(item_id, []).append(stage_id)
    return moves


async def test_a_rolling_deploy_loses_nothing_and_applies_nothing_twice(
        tg: FakeTelegram, bots: BotProcesses, tmp_path: Path) -> None:
    db_path = database_location(tmp_path)
    items = await _prepare(db_path)
    users = {uid: tg.user(uid, f"User {uid}") for uid in (*MOVERS, SLOW, DIALOG)}
    port1, port2 = free_port(), free_port()
    upstream1, upstream2 = f"http://127.0.0.1:{port1}", f"http://127.0.0.1:{port2}"
    tg.push_to_webhook([upstream1, upstream2])  # the proxy in front of both processes
    webhook = {"WEBHOOK_URL": "https://crm.example.com", "WEBHOOK_SECRET": SECRET,
               "WEBHOOK_LISTEN_HOST": "127.0.0.1"}
    first = await bots.start("first", db_path, WEBHOOK_LISTEN_PORT=str(port1), **webhook)
    await tg.wait_for_call("setWebhook", timeout=60)

    # On process 1 (the only one up): a dialog begun, a move whose answer is held.
    dana = users[DIALOG]
    question = await say(tg, dana, "/new")
    assert (await press(tg, dana, question, "Deal")).text is None
    assert question.rendered.startswith("Title of the new item?")
    hold = tg.hold_replies("sendMessage", SLOW)
    slow_update = users[SLOW].send(f"/move {items[SLOW]} 2")
    await asyncio.wait_for(hold.held.wait(), 30)

    stop = asyncio.Event()
    movers = [Mover(users[uid], items[uid]) for uid in MOVERS]
    stream = [asyncio.create_task(m.run(tg, stop)) for m in movers]

    def answered(more: int) -> Callable[[], bool]:
        """Each mover has `more` answers than now (a reply per chat and second: pacing)."""
        now = [m.replies(tg) for m in movers]
        return lambda: all(m.replies(tg) >= n + more for m, n in zip(movers, now, strict=True)
                           ) or any(t.done() for t in stream)

    await until(tg, answered(2), "the first moves")
    second = await bots.start("second", db_path, WEBHOOK_LISTEN_PORT=str(port2), **webhook)
    await until(tg, lambda: any(d.ok and d.url.startswith(upstream2)
                                for d in tg.webhook_deliveries), "process 2 answering")
    await until(tg, answered(2), "moves on both processes")

    first.process.send_signal(signal.SIGTERM)  # while it still answers SLOW's move
    assert await refused(port1), "process 1 still accepts connections after SIGTERM"
    refusing_since = time.monotonic()
    await until(tg, answered(2), "moves while process 1 stops")
    assert first.process.returncode is None  # it waits for the update in its hands
    tg.state.holds.remove(hold)
    hold.release()
    assert await first.ended(timeout=30) == 0, first.stderr()
    assert [d.url.startswith(upstream1) for d in tg.webhook_deliveries
            if d.update_id == slow_update and d.ok] == [True]  # finished where it began
    assert all(d.url.startswith(upstream2) for d in tg.webhook_deliveries
               if d.ok and d.began > refusing_since)  # the proxy went to process 2

    # The dialog goes on on process 2, where the state begun on process 1 is read.
    amount_question = await say(tg, dana, "Rolling deploy")
    assert amount_question.rendered.startswith("Amount?"), amount_question.rendered
    contact_question = await say(tg, dana, "1200 EUR")
    assert contact_question.rendered.startswith("Contact name?")
    card = await say(tg, dana, "Rita Roll")
    assert "· Rolling deploy" in card.rendered and "Created." in card.rendered

    await until(tg, answered(2), "moves on process 2 alone")
    stop.set()
    await asyncio.gather(*stream)
    await tg.wait_until_idle(timeout=30, quiet=0.3)
    assert await second.stop(signal.SIGTERM) == 0, second.stderr()

    history = stage_history(db_path)
    for mover in movers:  # nothing lost, nothing twice, in order
        assert history.get(mover.item_id) == mover.sent, mover.user.id
        assert mover.replies(tg) == len(mover.sent)  # every command answered, once
    assert history[items[SLOW]] == [DEAL_STAGE_IDS[2]]
    assert len(tg.messages_to(SLOW)) == 1
    assert tg.pending_updates == []
    assert query(db_path, "SELECT count(*) FROM items WHERE title = 'Rolling deploy'") == [(1,)]
