"""Wake-ups across processes on SQLite (PostgreSQL: notify_watch.py): while this process
leads, it learns within half a second that another connection committed (another process
queued a message, planned a run, added an activity) and wakes the workers, which read what
is due from the database.

SQLite's `PRAGMA data_version` on a connection of its own changes whenever any other
connection committed, this process's writer included (a wasted look then, which finds
nothing new). A poll costs one tiny statement in aiosqlite's thread; see bench/wakeups.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

import aiosqlite

from bot.cluster.watch import Watch
from crm.storage.database import Database
from crm.storage.sqlite.database import SqliteDatabase

log = logging.getLogger(__name__)
POLL_EVERY = 0.5  # seconds


def commit_watch(db: Database, wake: Sequence[Callable[[], None]]) -> Watch:
    """What wakes the workers when another process commits, for this kind of database."""
    if isinstance(db, SqliteDatabase):
        return CommitWatch(db.path, wake)
    from bot.cluster.notify_watch import NotifyWatch
    return NotifyWatch(db.location, wake)


class CommitWatch(Watch):
    def __init__(self, path: Path, wake: Sequence[Callable[[], None]],
                 every: float = POLL_EVERY) -> None:
        super().__init__(wake, every, "commit-watch")
        self._path = path

    def _needed(self) -> bool:
        # an in-memory database is this process's own: nobody else commits
        return str(self._path) != ":memory:"

    async def _watch(self) -> None:
        while True:
            try:
                async with aiosqlite.connect(self._path) as conn:
                    await conn.execute("PRAGMA query_only=ON")
                    await self._poll(conn)
            except (OSError, aiosqlite.Error) as error:  # try again shortly
                log.warning("commit watch: %s", error)
                await asyncio.sleep(5 * self._every)

    async def _poll(self, conn: aiosqlite.Connection) -> None:
        seen = await data_version(conn)
        while True:
            await asyncio.sleep(self._every)
            version = await data_version(conn)
            if version != seen:
                seen = version
                self._wake_all()


async def data_version(conn: aiosqlite.Connection) -> int:
    rows = list(await conn.execute_fetchall("PRAGMA data_version"))
    return int(rows[0][0])
