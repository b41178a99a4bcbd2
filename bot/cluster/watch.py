"""What wakes the engine's workers when another process commits: a task of its own that
watches the database (SQLite: wakeups.py; PostgreSQL: notify_watch.py) while this process
leads."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from contextlib import suppress


class Watch:
    def __init__(self, wake: Sequence[Callable[[], None]], every: float, name: str) -> None:
        self._wake = tuple(wake)
        self._every = every
        self._name = name
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None and self._needed():
            self._task = asyncio.create_task(self._watch(), name=self._name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def _needed(self) -> bool:
        return True

    async def _watch(self) -> None:
        raise NotImplementedError

    def _wake_all(self) -> None:
        for wake in self._wake:
            wake()
