"""The leader among processes on one database, in one test process: each "process" is a
Database object with a lease of its own name. One leads at a time; a clean stop hands over
within a round; a leader whose lease another took lays its duties down at once; a row
committed through another Database is delivered by the leader within a second; and a bot
that lost the lease sends nothing until it leads again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cluster.leader import NAME, Leadership
from bot.cluster.lease import Lease
from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.process_identity import this_process
from crm.storage.database import Database
from crm.storage.leases import LeaseRepo
from rules.model import OutboxRow, OutboxState
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID, START
from tests.databases import database_location
from tests.fake_telegram import FakeTelegram
from tests.journeys.conftest import make_settings, start_bot

ROUND = 0.2  # seconds between tries, shortened for the test


class Duties:
    def __init__(self) -> None:
        self._running = False
        self.laid_down_at = 0.0  # monotonic; the last moment these duties could have sent

    def running(self) -> bool:
        return self._running

    async def take_up(self) -> None:
        self._running = True

    async def lay_down(self) -> None:
        self._running = False
        self.laid_down_at = time.monotonic()


class Process:
    def __init__(self, db: Database, name: str, pause: float = 0.0) -> None:
        self.db = db
        self.services = build_services(db, FrozenClock(START), [ADMIN_ID])
        self.duties = Duties()
        self.lease = Lease(self.services.uow, NAME, ttl=1.0, holder=name, margin=0.2)
        self.leadership = Leadership(self.lease, every=ROUND, handover_pause=pause)
        self.leadership.add_duty("test", self.duties.take_up, self.duties.lay_down)


@pytest.fixture
async def two(tmp_path: Path) -> AsyncIterator[tuple[Process, Process]]:
    dbs = [Database(database_location(tmp_path)) for _ in range(2)]
    for db in dbs:
        await db.open()
    base = this_process().rsplit(":", 1)[0]  # a live pid: neither is taken for dead
    first, second = Process(dbs[0], f"{base}:first"), Process(dbs[1], f"{base}:second")
    yield first, second
    for process in (first, second):
        await process.leadership.stop()
        await process.db.close()


async def until(condition: Callable[[], bool], within: float) -> float:
    """Seconds until `condition` held; fails after `within` seconds."""
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > within:
            raise AssertionError(f"not within {within} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - began


async def test_one_leads_and_a_clean_stop_hands_over_within_a_round(
        two: tuple[Process, Process]) -> None:
    first, second = two
    await first.leadership.start()
    assert first.duties.running() and first.leadership.holds()  # at once, before start returns
    await second.leadership.start()
    await asyncio.sleep(3 * ROUND)
    assert not second.duties.running() and not second.leadership.holds()

    await first.leadership.stop()
    assert not first.duties.running() and not first.leadership.holds()
    took = await until(second.duties.running, 2 * ROUND + 0.5)
    assert second.leadership.holds() and took <= ROUND + 0.3


async def test_a_leader_taking_over_waits_a_chats_spacing_after_the_last_one_stopped(
        tmp_path: Path) -> None:
    """The last leader may have sent to a chat just before it stopped: the next one takes
    its duties up only a chat's spacing (here 0.6 s) after, so no chat gets two at once."""
    dbs = [Database(database_location(tmp_path)) for _ in range(2)]
    for db in dbs:
        await db.open()
    base = this_process().rsplit(":", 1)[0]
    first, second = (Process(dbs[0], f"{base}:first", pause=0.6),
                     Process(dbs[1], f"{base}:second", pause=0.6))
    try:
        await first.leadership.start()
        assert first.duties.running()  # nobody led before: at once
        await second.leadership.start()
        await first.leadership.stop()
        await until(second.duties.running, 3.0)
        # from when the first laid its duties down (its last send), not from when stop()
        # returned: the release, and the time it stores, come between the two
        assert time.monotonic() - first.duties.laid_down_at >= 0.6
    finally:
        for process in (first, second):
            await process.leadership.stop()
            await process.db.close()


async def test_a_leader_whose_lease_was_taken_stops_at_once(
        two: tuple[Process, Process]) -> None:
    first, second = two
    await first.leadership.start()
    await second.leadership.start()
    async with second.services.uow() as uow:  # as if first's lease had run out meanwhile
        await uow.conn.execute("UPDATE leases SET holder = ?", (second.lease.holder,))
        await uow.commit()
    await until(lambda: not first.duties.running(), 2 * ROUND + 0.5)
    assert not first.leadership.holds()
    await until(second.duties.running, 2 * ROUND + 0.5)
    async with first.services.uow(write=False) as uow:
        assert await uow.extension(LeaseRepo).holder(NAME, datetime.now(UTC)) == \
            second.lease.holder


async def test_a_lapsed_lease_is_taken_over_when_it_ends(two: tuple[Process, Process]) -> None:
    first, second = two
    await first.leadership.start()
    await second.leadership.start()
    rounds = first.leadership._rounds  # the process hangs: no renewals, nothing released
    assert rounds is not None
    rounds.cancel()
    took = await until(second.duties.running, 1.0 + 2 * ROUND + 0.5)
    assert took >= 0.5  # it waited for the lease to end
    assert not first.leadership.holds()  # its own margin passed before the end


async def test_a_row_another_process_committed_is_delivered_within_a_second(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    tg.user(ADMIN_ID, "Ada Admin")
    settings = make_settings(tg, tg.base_url or "", tmp_path)
    running = await start_bot(settings, clock)
    other = Database(settings.database_location)
    await other.open()
    try:
        await until(running.app.parts.leadership.holds, 10)  # started, leading
        await asyncio.sleep(0.6)  # the leader's outbox worker is idle, its timer unset
        await queue(build_services(other, clock, [ADMIN_ID]), clock, "Queued elsewhere")
        began = time.monotonic()
        await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered == "Queued elsewhere",
                                  timeout=3, since=0)
        assert time.monotonic() - began < 1.0
    finally:
        await other.close()
        await running.stop()



async def test_a_bot_that_lost_the_lease_stops_sending_and_sends_again_once_it_leads(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    tg.user(ADMIN_ID, "Ada Admin")
    settings = make_settings(tg, tg.base_url or "", tmp_path)
    running = await start_bot(settings, clock)
    leadership = running.app.parts.leadership
    services = running.app.services
    someone_else = this_process().split(":")[0] + ":1:elsewhere"  # pid 1 lives
    try:
        await until(leadership.holds, 10)  # started, leading
        async with services.uow() as uow:  # another process took the lease meanwhile
            await uow.conn.execute("UPDATE leases SET holder = ?, until = '9999-12-31'",
                                   (someone_else,))
            await uow.commit()
        await until(lambda: not leadership.leading, 3.0)
        assert not leadership.holds()
        await queue(services, clock, "While following")
        await asyncio.sleep(1.5)  # neither the commit watch nor a worker runs here now
        assert not [m for m in tg.messages_to(ADMIN_ID) if m.rendered == "While following"]

        async with services.uow() as uow:  # the other process stopped cleanly
            await uow.conn.execute("DELETE FROM leases")
            await uow.commit()
        await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered == "While following",
                                  timeout=3, since=0)
        assert leadership.holds()
        await queue(services, clock, "While leading again")
        await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered == "While leading again",
                                  timeout=1.5, since=0)
    finally:
        await running.stop()


async def queue(services: CrmServices, clock: FrozenClock, text: str) -> None:
    async with services.uow() as uow:
        await repos(uow).outbox.add(OutboxRow(
            id=0, run_id=None, dedupe_key=text, chat_id=ADMIN_ID, kind="message",
            payload={"text": text}, state=OutboxState.PENDING, attempts=0,
            next_attempt_at=clock.now(), created_at=clock.now()))
        await uow.commit()


class GatedLease:
    """A lease whose take waits for the test: its answer can come in the very turn of the
    event loop that stopping cancels the rounds in."""

    ttl, holder, taken_over_from = 5.0, "gated", None

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.taking = asyncio.Event()

    def holds(self) -> bool:
        return False

    async def take(self) -> bool:
        self.taking.set()
        await self.gate.wait()
        self.gate.clear()
        return False

    async def release(self) -> None:
        pass


async def test_stopping_while_a_take_answers_stops() -> None:
    """Python 3.11's asyncio.wait_for returned the take's answer and dropped the
    cancellation when both came in one turn: the rounds went on, and stop() waited for
    them for ever (a test's teardown on PostgreSQL hung until pytest-timeout, once)."""
    lease = GatedLease()
    leadership = Leadership(lease, every=0.01)  # type: ignore[arg-type]
    lease.gate.set()  # the first try, in start(), answers at once
    await leadership.start()
    lease.taking.clear()
    await asyncio.wait_for(lease.taking.wait(), 2)  # a round is taking now
    lease.gate.set()
    await asyncio.sleep(0)  # the take has answered; the round has not seen it yet...
    began = time.monotonic()
    # ...as stop() cancels the rounds. (A stop() that hung is cancelled after 2 s, which
    # ends the rounds the second time.)
    await asyncio.wait_for(leadership.stop(), 2)
    assert time.monotonic() - began < 1.0
