"""The versions of the tables whose rows each process keeps in memory (migration 024), read
first thing in every unit of work.

Every change to the staff or the catalog tables moves its group's version ('staff',
'catalog') in the change's transaction (triggers). A unit of work reads the versions right
after its BEGIN, so in the snapshot all its reads see, and SharedRows.at decides whether the
rows kept in memory are still those of that snapshot (another process may have changed the
tables).

The read rides on the BEGIN's trip to the connection's thread (each trip is a thread
hand-off, dearer than the read): the two go as one script, and since a script returns no
rows, its SELECT hands the versions to a function registered on the connection.
"""

from __future__ import annotations

import sqlite3

import aiosqlite

GROUPS = ("staff", "catalog")
_NOTE = "crm_note_cache_versions"
_READ = f"SELECT {_NOTE}(" + ", ".join(  # one call for all: each call into Python costs
    f"(SELECT version FROM cache_versions WHERE name = '{group}')" for group in GROUPS) + ")"


class CacheVersions:
    """One per connection: the versions its last unit of work began at."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    async def register(self, conn: aiosqlite.Connection) -> None:
        await conn.create_function(_NOTE, len(GROUPS), self._note)

    def _note(self, *versions: int) -> None:  # in the connection's thread
        self._seen = dict(zip(GROUPS, versions, strict=True))

    async def begin(self, conn: aiosqlite.Connection, begin: str | None) -> dict[str, int]:
        """Runs `begin` ("BEGIN", "BEGIN IMMEDIATE"; None for a unit of work without a
        transaction) and reads the versions after it; {group: version}."""
        if conn.in_transaction:  # a script would commit it first, where BEGIN refuses
            raise sqlite3.OperationalError("cannot start a transaction within a transaction")
        self._seen = {}
        await conn.executescript(f"{begin}; {_READ};" if begin else _READ)
        return self._seen
