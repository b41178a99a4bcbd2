"""Named leases kept in the database: one holder at a time for a job that several processes
could do ("leader", "poller", "mode-switch"). Used in short write units of work
(`BEGIN IMMEDIATE`), so reading the row and replacing it is one step for every process.

A lease is free when it has no row, when its end has passed, or when its holder is known to
be gone (a process of this host whose pid has ended: crm.process_identity.is_dead), so a
restart after a crash need not wait the lease out. Times are wall-clock UTC: processes on
several hosts must keep their clocks in step (NTP), well within a lease's length.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from crm.process_identity import is_dead
from crm.storage.codec import parse_ts_required, ts
from crm.storage.connection import Connection
from crm.storage.repos import fetch_one


class LeaseRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def take(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Takes the lease until now + ttl, or renews it when `holder` has it; False when
        another holder has it and may be alive."""
        row = await fetch_one(self._conn, "SELECT holder, until FROM leases WHERE name = ?",
                              (name,))
        if row is not None and row[0] != holder and parse_ts_required(row[1]) > now \
                and not is_dead(row[0]):
            return False
        await self._conn.execute(
            "INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until",
            (name, holder, ts(now + ttl)))
        return True

    async def release(self, name: str, holder: str, now: datetime) -> None:
        """Gives the lease up at once (a clean stop), if `holder` still has it: it ends now
        (the row stays, so the next holder knows when the last one stopped)."""
        await self._conn.execute(
            "UPDATE leases SET until = ? WHERE name = ? AND holder = ? AND until > ?",
            (ts(now), name, holder, ts(now)))

    async def last_held(self, name: str) -> tuple[str, datetime] | None:
        """Who held the lease last and until when (its end, or when it was released)."""
        row = await fetch_one(self._conn, "SELECT holder, until FROM leases WHERE name = ?",
                              (name,))
        return None if row is None else (str(row[0]), parse_ts_required(row[1]))

    async def holder(self, name: str, now: datetime) -> str | None:
        """Who has the lease now; None when it is free."""
        row = await fetch_one(self._conn, "SELECT holder, until FROM leases WHERE name = ?",
                              (name,))
        if row is None or parse_ts_required(row[1]) <= now or is_dead(row[0]):
            return None
        return str(row[0])
