"""What every background worker of the engine shares: a commit or the timer wakes it, and
it drains what is due, one pass at a time. The database says what is due; the timer
(APScheduler) and `wake()` only say "look now"."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from typing import ClassVar

from rules.ports import Timer

log = logging.getLogger(__name__)


class Doorbell:
    """"Look now", rung by anyone, heard by one worker. Built before the worker, so the
    parts that wake a worker can be built before it (the planner and the outbox wake the
    run worker, and the run worker wakes the outbox)."""

    def __init__(self) -> None:
        self.rung = asyncio.Event()

    def ring(self) -> None:
        self.rung.set()


class WakeableWorker(ABC):
    name: ClassVar[str]

    def __init__(self, timer: Timer, doorbell: Doorbell | None = None) -> None:
        self._timer = timer
        self._wanted = (doorbell or Doorbell()).rung
        self._lock = asyncio.Lock()  # one pass at a time, also when tests call drain()
        self._task: asyncio.Task[None] | None = None
        timer.connect(self._on_timer)

    def wake(self) -> None:
        self._wanted.set()

    async def _on_timer(self) -> None:
        self.wake()

    def start(self) -> None:
        """The first pass catches up on what fell due while the bot was down."""
        self._task = asyncio.create_task(self._loop(), name=self.name)
        self.wake()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    @abstractmethod
    async def drain(self) -> object:
        """Does everything due now and sets the timer for what comes next."""

    async def _loop(self) -> None:
        while True:
            await self._wanted.wait()
            self._wanted.clear()
            try:
                await self.drain()
            except Exception:  # e.g. the disk is full: log, breathe, try again on next wake
                log.exception("%s: pass failed", self.name)
                await asyncio.sleep(1)
