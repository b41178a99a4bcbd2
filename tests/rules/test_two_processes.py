"""Two processes on one database (issue 13): two of each worker, each on a Database object of
its own opened on the same file (its own connections, as in two processes), drain at the
same time. Every outbox row is sent once and a chat's rows in order; every run, reminder,
copy, digest and pruning is done once. A dead claimer's rows go out at once, a live one's
when its claim ends, a stopped one's at once; a worker that may not send (not the leader)
sends nothing."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from unittest.mock import patch

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.models import Contact, Staff
from crm.services.items import NewItem
from crm.storage.codec import ts
from crm.storage.database import Database
from rules.container import Automation
from rules.engine.executor import RunExecutor
from rules.model import OutboxRow, OutboxState, RunState
from rules.outbox import worker as outbox_worker
from rules.outbox.pacing import Pacer
from rules.outbox.worker import CLAIM, OutboxWorker
from rules.retention import RetentionJob
from rules.scheduling import SchedulerTimer
from rules.storage.unit import repos
from rules.workflow import WorkflowOptions, build_workflow
from tests.conftest import ADMIN_ID
from tests.rules.conftest import RecordingTransport, add_rule, build_test_automation, stage_id


@dataclass
class SlowTransport(RecordingTransport):
    """Takes a moment per send (so that the two workers' passes interleave) and notes, in a
    log both share, the order in which sends began."""

    started: list[OutboxRow] = field(default_factory=list)

    async def deliver(self, row: OutboxRow) -> int:
        self.started.append(row)
        await asyncio.sleep(0.02)  # long enough that one worker cannot finish alone
        return await super().deliver(row)


@asynccontextmanager
async def other_process(services: CrmServices, clock: FrozenClock,
                        transport: RecordingTransport
                        ) -> AsyncIterator[tuple[CrmServices, Automation]]:
    """A second process on the same database file: nothing shared in memory, and a name of
    its own in claims."""
    db = Database(services.db.location)
    await db.open()
    other = build_services(db, clock, admin_ids=[ADMIN_ID])
    name = f"{socket.gethostname()}:{os.getpid()}:other"
    with patch.object(outbox_worker, "this_process", lambda: name):
        automation = build_test_automation(other, transport)
    try:
        yield other, automation
    finally:
        await automation.stop()
        await db.close()


def _row(n: int, chat: int, now: datetime) -> OutboxRow:
    return OutboxRow(id=0, run_id=None, dedupe_key=f"test:{n}", chat_id=chat, kind="message",
                     payload={"text": f"message {n}"}, state=OutboxState.PENDING, attempts=0,
                     next_attempt_at=now, created_at=now)


async def _queue(services: CrmServices, count: int, chats: int) -> None:
    async with services.uow() as uow:
        now = services.clock.now()
        await repos(uow).outbox.add_many([_row(n, 100 + n % chats, now) for n in range(count)])
        await uow.commit()


async def _pending(services: CrmServices) -> int:
    async with services.uow(write=False) as uow:
        return (await repos(uow).outbox.counts()).get("pending", 0)


async def test_two_outbox_workers_send_each_row_once_and_a_chats_rows_in_order(
        services: CrmServices, clock: FrozenClock) -> None:
    log: list[OutboxRow] = []
    first, second = SlowTransport(started=log), SlowTransport(started=log)
    one = build_test_automation(services, first)
    await _queue(services, 150, chats=30)
    try:
        async with other_process(services, clock, second) as (_other, two):
            for _ in range(20):  # a pass ends when the rows left are the other's to send
                await asyncio.gather(one.outbox.drain(), two.outbox.drain())
                if not await _pending(services):
                    break
    finally:
        await one.stop()

    sent = Counter(r.dedupe_key for r in first.delivered + second.delivered)
    assert len(sent) == 150 and set(sent.values()) == {1}
    assert first.delivered and second.delivered  # both sent: the claims did the sharing
    for chat in {r.chat_id for r in log}:
        ids = [r.id for r in log if r.chat_id == chat]
        assert ids == sorted(ids)
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND attempts = 1"
            " AND claimed_by IS NULL")
    assert next(iter(rows))[0] == 150


async def test_a_dead_claimers_rows_go_out_at_once_a_live_ones_when_its_claim_ends(
        services: CrmServices, automation: Automation, transport: RecordingTransport,
        clock: FrozenClock) -> None:
    await _queue(services, 2, chats=2)
    ended = await asyncio.create_subprocess_exec(sys.executable, "-c", "")
    await ended.wait()
    dead, elsewhere = f"{socket.gethostname()}:{ended.pid}:0dead", "other-host:1:a1b2"
    async with services.uow() as uow:
        outbox, now = repos(uow).outbox, clock.now()
        [row_1, row_2] = await outbox.due(now, 10)
        assert [r.id for r in await outbox.claim([row_1.id], dead, now, now + CLAIM)] == [
            row_1.id]
        await outbox.claim([row_2.id], elsewhere, now, now + CLAIM)
        await uow.commit()

    await automation.outbox.drain()
    assert transport.texts() == ["message 0"]  # the ended process's row, at once
    clock.advance(seconds=CLAIM.total_seconds() - 1)
    await automation.outbox.drain()
    assert transport.texts() == ["message 0"]  # the other host may still be sending it
    clock.advance(seconds=1)
    await automation.outbox.drain()
    assert transport.texts() == ["message 0", "message 1"]


async def test_a_claimer_whose_claim_lapsed_marks_nothing(services: CrmServices,
                                                          clock: FrozenClock) -> None:
    await _queue(services, 1, chats=1)
    async with services.uow() as uow:
        outbox, now = repos(uow).outbox, clock.now()
        [row] = await outbox.due(now, 1)
        await outbox.claim([row.id], "host:1:slow", now, now + CLAIM)
        assert await outbox.claim([row.id], "host:2:other", now, now + CLAIM) == []
        later = now + CLAIM
        assert [r.id for r in await outbox.claim([row.id], "host:2:other", later,
                                                 later + CLAIM)] == [row.id]
        assert not await outbox.mark_sent(row.id, "host:1:slow", 1, later)
        assert await outbox.mark_sent(row.id, "host:2:other", 2, later)
        [sent] = await uow.conn.execute_fetchall(
            "SELECT state, sent_message_id, claimed_by FROM outbox")
        await uow.commit()
    assert tuple(sent) == ("sent", 2, None)


async def test_a_worker_that_may_not_send_leaves_its_rows_to_the_one_that_may(
        services: CrmServices, automation: Automation, clock: FrozenClock) -> None:
    await _queue(services, 3, chats=3)
    answers = iter([True] + [False] * 100)  # the lease is lost after the rows were claimed
    barred = RecordingTransport()
    worker = OutboxWorker(
        services.uow, clock, automation.config,
        SchedulerTimer(automation.scheduler, "barred", clock), {"telegram": barred},
        lambda: None, Pacer(per_second=float("inf"), chat_interval=0.0),
        may_send=lambda: next(answers))
    await worker.drain()
    assert barred.delivered == []
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND claimed_by IS NULL"
            " AND next_attempt_at <= ?", (ts(clock.now()),))
    assert next(iter(rows))[0] == 3  # given back, due at once

    never = OutboxWorker(
        services.uow, clock, automation.config,
        SchedulerTimer(automation.scheduler, "never", clock), {"telegram": barred},
        lambda: None, may_send=lambda: False)
    await never.drain()
    await automation.outbox.drain()
    assert barred.delivered == [] and await _pending(services) == 0


async def _deals_with_runs(services: CrmServices, admin: Staff, automation: Automation,
                           count: int) -> list[int]:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "message_client", {"text": "Hello {{ item.title }}"},
                   title="Greet")
    await add_rule(automation, admin, new, "create_activity", {"subject": "Call back"},
                   title="Task")
    made = []
    for n in range(count):
        async with services.uow() as uow:
            contact = await uow.clients.add_contact(
                Contact(0, f"Client {n}", tg_chat_id=5000 + n), services.clock.now())
            await uow.commit()
        made.append((await services.items.create(admin, NewItem(
            "deal", f"Deal {n}", contact_id=contact.id))).id)
    return made


async def test_two_run_workers_execute_each_run_once(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    deals = await _deals_with_runs(services, admin, automation, 30)
    async with services.uow(write=False) as uow:
        due = await repos(uow).runs.due_ids(clock.now(), 500)
    assert len(due) == 60
    async with other_process(services, clock, transport) as (other, two):
        mine = RunExecutor(services.uow, clock, automation.renderer, automation.config)
        theirs = RunExecutor(other.uow, clock, two.renderer, two.config)
        done = await asyncio.gather(mine.execute(due), theirs.execute(due))
    executed = Counter(e.run_id for e in done[0] + done[1])
    assert sorted(executed) == sorted(due) and set(executed.values()) == {1}
    async with services.uow(write=False) as uow:
        tasks = await uow.conn.execute_fetchall(
            "SELECT item_id, COUNT(*) FROM activities GROUP BY item_id")
        queued = await uow.conn.execute_fetchall(
            "SELECT COUNT(*), COUNT(DISTINCT run_id) FROM outbox")
        states: Counter[RunState] = Counter()
        for deal in deals:
            states.update(r.state for r in await repos(uow).runs.for_item(deal))
    assert {int(r[0]): int(r[1]) for r in tasks} == dict.fromkeys(deals, 1)
    assert tuple(next(iter(queued))) == (60, 60)  # the greeting, and the task's notice
    assert states == {RunState.RUNNING: 60}  # until the outbox delivered their messages


async def test_two_reminder_workers_and_digests_queue_each_once(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    deal = (await services.items.create(admin, NewItem("deal", "Relaunch"))).id
    for n in range(25):
        await services.activities.remind(admin, deal, f"Call {n}", clock.now()
                                         + timedelta(minutes=5))
    clock.advance(minutes=10)
    mine = build_workflow(services, automation, WorkflowOptions(b"k" * 32, time(8, 0)))
    async with other_process(services, clock, transport) as (other, two):
        theirs = build_workflow(other, two, WorkflowOptions(b"k" * 32, time(8, 0)))
        reminded = await asyncio.gather(mine.reminders.drain(), theirs.reminders.drain())
        day = clock.now().date()
        digests = await asyncio.gather(mine.digest.send(day), theirs.digest.send(day))
    assert sum(reminded) == 25
    assert sum(digests) == 1  # one person with something to report, once
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            "SELECT substr(dedupe_key, 1, 6), COUNT(*) FROM outbox GROUP BY 1")
    assert {str(r[0]): int(r[1]) for r in rows} == {"activi": 25, "digest": 1}


async def test_two_schedule_workers_make_each_copy_once(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new, won = await stage_id(services, "deal", "new"), await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "copy_item", {
        "pipeline_id": (await services.catalog.pipelines("deal"))[0].id, "stage_id": new,
        "repeat": "months"}, title="Monthly")
    origins = []
    for n in range(12):
        deal = await services.items.create(admin, NewItem("deal", f"Maintenance {n}"))
        await services.items.move(admin, deal.id, won)
        origins.append(deal.id)
    await automation.runs.drain()
    clock.set(datetime(2026, 12, 23, 9, 0, tzinfo=UTC))  # a month later: all due
    async with other_process(services, clock, transport) as (_other, two):
        await asyncio.gather(automation.recurring.drain(), two.recurring.drain())
    async with services.uow(write=False) as uow:
        copies = await uow.conn.execute_fetchall(
            "SELECT origin_id, COUNT(*) FROM item_copies GROUP BY origin_id")
        made = await uow.conn.execute_fetchall("SELECT SUM(copies) FROM copy_schedules")
    assert {int(r[0]): int(r[1]) for r in copies} == dict.fromkeys(origins, 1)
    assert next(iter(made))[0] == 12


async def test_two_retention_jobs_prune_each_row_once(
        services: CrmServices, clock: FrozenClock, transport: RecordingTransport) -> None:
    old = clock.now() - timedelta(days=400)
    async with services.uow() as uow:
        await uow.conn.executemany(
            "INSERT INTO outbox (dedupe_key, kind, payload, state, next_attempt_at,"
            " created_at) VALUES (?, 'message', '{}', 'sent', ?, ?)",
            [(f"old:{n}", ts(old), ts(old)) for n in range(5_000)])
        await uow.commit()
    await _queue(services, 3, chats=1)  # pending: kept
    async with other_process(services, clock, transport) as (other, _two):
        pruned = await asyncio.gather(
            RetentionJob(services.uow, clock, timedelta(days=180)).run(),
            RetentionJob(other.uow, clock, timedelta(days=180)).run())
    assert sum(p.outbox for p in pruned) == 5_000
    assert await _pending(services) == 3


@dataclass
class StuckTransport(RecordingTransport):
    """A send that never returns (Telegram does not answer)."""

    begun: asyncio.Event = field(default_factory=asyncio.Event)

    async def deliver(self, row: OutboxRow) -> int:
        self.begun.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


async def test_a_stopping_worker_gives_back_what_it_could_not_finish(
        services: CrmServices, clock: FrozenClock, transport: RecordingTransport,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outbox_worker, "STOP_GRACE", 0.1)
    await _queue(services, 1, chats=1)
    stuck = StuckTransport()
    one = build_test_automation(services, stuck)
    one.outbox.start()
    await asyncio.wait_for(stuck.begun.wait(), 5)
    await one.stop()  # e.g. SIGTERM in a rolling deploy, or the leader lease lost
    async with other_process(services, clock, transport) as (_other, two):
        await two.outbox.drain()  # at once: no waiting for the claim to end
    assert transport.texts() == ["message 0"]
