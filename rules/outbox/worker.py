"""The outbox worker: delivers queued rows within Telegram's limits, retries what may be
retried, and settles the runs the rows belong to.

Delivery is at least once: a row is marked sent after the transport confirmed it. A
process killed between the two has that message sent again (at most one duplicate per
message it was sending); a process killed before the send has it sent exactly once.

Each row is sent by one process, also with several on one database: before sending, a
worker claims the rows it starts in one short write transaction (its name, and their next
attempt moved to the claim's end, so no other worker finds them due); it marks only rows it
still holds, which ends the claim. A dead claimer's rows are due again when its claims end,
or at once when it ran on this host (its pid is gone).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from crm.clock import Clock
from crm.process_identity import is_dead, this_process
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.config import EngineConfig
from rules.engine.settle import settle_run
from rules.model import OutboxRow, OutboxState
from rules.outbox.pacing import Pacer
from rules.ports import PermanentError, RetryAfter, Timer, TransientError, Transport
from rules.reason_codes import Reason
from rules.storage.unit import repos
from rules.wakeable import WakeableWorker

log = logging.getLogger(__name__)
BATCH = 500
MAX_BACKOFF = 300.0
# How long a claim holds a row: longer than the longest send (Telegram requests time out
# after 60 s, webhooks after at most 120 s, e-mail after 30 s), so a slow but live sender
# is never overtaken; a claimer that died on another host delays its rows this long.
CLAIM = timedelta(seconds=180)
# On stop, sends in progress may finish (and be marked) for this long before they are cut
# off: a row cut off mid-send may have reached the chat, and is sent again by another.
STOP_GRACE = 3.0


class OutboxWorker(WakeableWorker):
    name = "outbox"

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, config: EngineConfig, timer: Timer,
                 transports: Mapping[str, Transport], on_released: Callable[[], None],
                 pacer: Pacer | None = None, concurrency: int = 8,
                 may_send: Callable[[], bool] = lambda: True, holder: str | None = None
                 ) -> None:
        """`may_send` is asked before every send (False: this process must not send now,
        e.g. it lost the leader lease); `holder` names this worker in its claims."""
        super().__init__(timer)
        self._uow = uow
        self._clock = clock
        self._config = config
        self._transports = transports
        self._on_released = on_released
        self._pacer = pacer or Pacer()
        self._slots = asyncio.Semaphore(concurrency)
        self._inflight: dict[int, asyncio.Task[None]] = {}
        self._busy_chats: set[int] = set()
        self._poked = asyncio.Event()
        self._may_send = may_send
        self._holder = holder or this_process()

    async def stop(self) -> None:
        """Starts nothing more; what is being sent finishes within STOP_GRACE, and the rows
        still claimed then are given back, due at once for whoever sends next (another
        process need not wait for the claims to end)."""
        await super().stop()
        if self._inflight:
            await asyncio.wait(self._inflight.values(), timeout=STOP_GRACE)
        for task in list(self._inflight.values()):
            task.cancel()
        await asyncio.gather(*self._inflight.values(), return_exceptions=True)
        try:
            async with self._uow() as uow:
                await repos(uow).outbox.release_all_of(self._holder, self._clock.now())
                await uow.commit()
        except Exception:  # e.g. the database is closed already: the claims end by themselves
            log.exception("outbox: claims not given back at stop")

    def wake(self) -> None:
        super().wake()
        self._poked.set()  # a pass in progress looks again: new rows go out at once

    async def drain(self) -> None:
        """Starts every due row whose chat may receive now and waits for what it started.
        A chat that must wait (paced, or told by Telegram) is left to the timer: it never
        holds up the other chats, nor rows queued meanwhile."""
        async with self._lock:
            await self._take_over_dead_claims()
            while True:
                self._poked.clear()
                paced: dict[int, float] = {}
                while True:  # a batch of rows for waiting chats must not hide the others
                    skip = paced.keys() | self._busy_chats
                    async with self._uow(write=False) as uow:
                        due = await repos(uow).outbox.due(self._clock.now(), BATCH, skip)
                    await self._start_deliveries(
                        [r for r in due if r.id not in self._inflight], paced)
                    if len(due) < BATCH or not paced.keys() - skip or not self._may_send():
                        break
                if not self._inflight:
                    break
                await self._something_changed()
            await self._schedule_next(min(paced.values(), default=None))

    async def _something_changed(self) -> None:
        """Until a delivery ends (its chat is free again) or new rows were queued."""
        poked = asyncio.create_task(self._poked.wait())
        try:
            await asyncio.wait({poked, *self._inflight.values()},
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            poked.cancel()

    async def _start_deliveries(self, rows: list[OutboxRow], paced: dict[int, float]) -> None:
        """Starts what may go now; notes in `paced` the chats that must wait, and how long.
        Rows are claimed only as slots are free to send them at once, so a claim never
        waits long for its send."""
        ready = self._ready(rows, paced)
        while ready and self._may_send():
            await self._slots.acquire()
            count = 1
            while count < len(ready) and not self._slots.locked():
                await self._slots.acquire()  # free: returns at once
                count += 1
            chunk, ready = ready[:count], ready[count:]
            try:
                claimed = await self._claim(chunk)
            except BaseException:  # (a lock timeout, say) the slots must not leak: the
                for _ in range(count):  # sender would wait for them forever
                    self._slots.release()
                raise
            for _ in range(count - len(claimed)):
                self._slots.release()  # another process took those rows
            for row in claimed:
                await self._pacer.take(row.chat_id)
                if row.chat_id is not None:
                    self._busy_chats.add(row.chat_id)
                self._inflight[row.id] = asyncio.create_task(self._deliver(row))

    def _ready(self, rows: list[OutboxRow], paced: dict[int, float]) -> list[OutboxRow]:
        """The rows that may go now: one per chat (in order), none to a chat that waits."""
        ready: list[OutboxRow] = []
        chats: set[int] = set()
        for row in rows:
            chat = row.chat_id
            if chat is not None and (chat in self._busy_chats or chat in paced or chat in chats):
                continue  # one at a time per chat keeps the client's messages in order
            wait = self._pacer.chat_wait(chat)
            if chat is not None and wait > 0:
                paced[chat] = wait
                continue
            if chat is not None:
                chats.add(chat)
            ready.append(row)
        return ready

    async def _claim(self, rows: list[OutboxRow]) -> list[OutboxRow]:
        async with self._uow() as uow:
            now = self._clock.now()
            claimed = await repos(uow).outbox.claim([r.id for r in rows], self._holder, now,
                                                    now + CLAIM)
            await uow.commit()
        return claimed

    async def _take_over_dead_claims(self) -> None:
        """Rows claimed by a process of this host that has ended are due again at once."""
        async with self._uow(write=False) as uow:
            dead = [h for h in await repos(uow).outbox.claimers()
                    if h != self._holder and is_dead(h)]
        if not dead:
            return
        async with self._uow() as uow:
            for holder in dead:
                taken = await repos(uow).outbox.release_all_of(holder, self._clock.now())
                if taken:
                    log.info("outbox: %s rows of the ended process %s are due again",
                             taken, holder)
            await uow.commit()

    async def _deliver(self, row: OutboxRow) -> None:
        try:
            await self._attempt(row)
        except Exception:  # a broken transport must not take the worker down; retry later
            log.exception("outbox row %s: unexpected delivery error", row.id)
            await self._record_postponed(row, _backoff(row.attempts), "internal error")
        finally:
            self._pacer.done(row.chat_id)
            self._inflight.pop(row.id, None)
            if row.chat_id is not None:
                self._busy_chats.discard(row.chat_id)
            self._slots.release()

    async def _attempt(self, row: OutboxRow) -> None:
        if not self._may_send():  # e.g. the leader lease was lost while the row waited
            async with self._uow() as uow:
                await repos(uow).outbox.release(row.id, self._holder, self._clock.now())
                await uow.commit()
            return
        transport = self._transports.get(row.channel)
        if transport is None:
            missing = PermanentError(Reason.SEND_REJECTED, f"no {row.channel}")
            await self._record_failed(row, missing)
            return
        try:
            message_id = await transport.deliver(row)
        except RetryAfter as wait:
            self._pacer.pause_chat(row.chat_id, wait.seconds)
            await self._record_postponed(row, wait.seconds, str(wait), retry_after=True)
        except TransientError as error:
            await self._record_postponed(row, _backoff(row.attempts), error.detail or "network")
        except PermanentError as error:
            await self._record_failed(row, error)
        else:
            await self._record_sent(row, message_id)

    async def _record_sent(self, row: OutboxRow, message_id: int | None) -> None:
        async with self._uow() as uow:
            now = self._clock.now()
            if not await repos(uow).outbox.mark_sent(row.id, self._holder, message_id, now):
                _overtaken(row)
                return
            await _tell_sender(uow, row, now, "if_delivered")
            released = await settle_run(uow, row, now, self._config)
            await uow.commit()
        if released is not None:
            self._on_released()

    async def _record_failed(self, row: OutboxRow, error: PermanentError) -> None:
        params = {"role": row.payload.get("role", "client"), "name": row.payload.get("name", ""),
                  "detail": error.detail}
        async with self._uow() as uow:
            now = self._clock.now()
            if not await repos(uow).outbox.mark_failed(row.id, self._holder,
                                                       f"{error.code}: {error.detail}"):
                _overtaken(row)
                return
            await _tell_sender(uow, row, now)
            released = await settle_run(uow, row, now, self._config, (error.code, params))
            await uow.commit()
        if released is not None:
            self._on_released()

    async def _record_postponed(self, row: OutboxRow, seconds: float, error: str,
                                retry_after: bool = False) -> None:
        async with self._uow() as uow:
            until = self._clock.now() + timedelta(seconds=seconds)
            if not await repos(uow).outbox.postpone(row.id, self._holder, until, error,
                                                    retry_after):
                _overtaken(row)
                return
            if retry_after and row.chat_id is not None:  # the chat's later rows wait too
                await repos(uow).outbox.hold_chat(row.chat_id, until)
            await uow.commit()

    async def _schedule_next(self, paced: float | None) -> None:
        """The timer fires for the next row due, or when the soonest waiting chat is free."""
        now = self._clock.now()
        async with self._uow(write=False) as uow:
            at = await repos(uow).outbox.next_attempt(after=now)
        if paced is not None:
            free = now + timedelta(seconds=paced)
            at = free if at is None else min(at, free)
        if at is not None:
            self._timer.schedule_wakeup(at)


async def _tell_sender(uow: UnitOfWork, row: OutboxRow, now: datetime,
                       key: str = "if_undelivered") -> None:
    """A row queued with `if_undelivered` ({chat_id, text}) has that message sent when it
    is refused for good: e.g. a staff member's reply to a client who blocked the bot; one
    with `if_delivered` when it was sent: e.g. a quote that reached the client."""
    notice = row.payload.get(key)
    if not notice:
        return
    await repos(uow).outbox.add(OutboxRow(
        id=0, run_id=None, dedupe_key=f"{key.removeprefix('if_')}:{row.id}",
        chat_id=notice["chat_id"],
        kind="message", payload={"text": notice["text"]}, state=OutboxState.PENDING,
        attempts=0, next_attempt_at=now, created_at=now))


def _overtaken(row: OutboxRow) -> None:
    """This worker's claim on the row lapsed (the send outlasted it) and another took it."""
    log.warning("outbox row %s: claim lapsed during the send; its new claimer settles it",
                row.id)


def _backoff(attempts: int) -> float:
    """1, 2, 4, ... seconds, capped at five minutes."""
    return min(2.0 ** attempts, MAX_BACKOFF)
