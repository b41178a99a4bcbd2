"""Wake-ups across processes on PostgreSQL: every writing unit of work sends
`NOTIFY crm_commits` inside its transaction (see crm/storage/postgres/database.py), which
PostgreSQL delivers to every listener when, and only if, the transaction commits. While this
process leads, a connection of its own LISTENs and wakes the workers at once; a slow poll
wakes them anyway now and then, in case a notification was lost with a connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence

import psycopg

from bot.cluster.watch import Watch
from crm.storage.postgres.database import COMMITS_CHANNEL

log = logging.getLogger(__name__)
SAFETY_POLL = 5.0  # seconds between wake-ups without a notification


class NotifyWatch(Watch):
    def __init__(self, url: str, wake: Sequence[Callable[[], None]],
                 every: float = SAFETY_POLL) -> None:
        super().__init__(wake, every, "notify-watch")
        self._url = url

    async def _watch(self) -> None:
        while True:
            try:
                conn = await psycopg.AsyncConnection.connect(
                    self._url, autocommit=True, application_name="crm-bot listener")
                async with conn:
                    await conn.execute(f"LISTEN {COMMITS_CHANNEL}")
                    await self._listen(conn)
            except (OSError, psycopg.Error) as error:  # try again shortly
                log.warning("commit watch: %s", error)
                await asyncio.sleep(self._every)

    async def _listen(self, conn: psycopg.AsyncConnection[object]) -> None:
        while True:
            heard = False
            async for _ in conn.notifies(timeout=self._every, stop_after=1):
                heard = True
            # a notification, or the safety poll's time: wake either way (a wake-up
            # only makes the workers read what is due)
            self._wake_all()
            if heard:  # several commits at once wake once: the workers read them all
                await asyncio.sleep(0.01)
