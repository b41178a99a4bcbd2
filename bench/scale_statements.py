"""How many statements the bot sends its database for an update, for bench/scale.py: on
PostgreSQL each one is a round trip to the server (and, bound on the client, parsed and
planned anew), on SQLite a call in the bot's own process. Counted at the Connection
adapters in untimed rounds. A unit of work's BEGIN is not among them on SQLite (it goes as a
script with the cached tables' versions); on PostgreSQL a read's BEGIN and versions go in
one pipeline with its first statement and count as two more. Statements sent together
(Connection.together) count one each, though on PostgreSQL they share one trip."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from crm.storage.postgres.connection import PostgresConnection
from crm.storage.sqlite.connection import SqliteConnection

METHODS = ("execute", "execute_fetchall", "executemany")


@contextmanager
def counted() -> Iterator[list[int]]:
    """While open, counts in the list's one element every statement either database's
    connections are sent."""
    sent = [0]
    originals = {(kind, name): getattr(kind, name)
                 for kind in (PostgresConnection, SqliteConnection) for name in METHODS}
    for (kind, name), original in originals.items():
        setattr(kind, name, _counting(original, sent))
    try:
        yield sent
    finally:
        for (kind, name), original in originals.items():
            setattr(kind, name, original)


def _counting(original: Any, sent: list[int]) -> Any:
    async def method(self: Any, sql: str, *args: Any) -> Any:
        sent[0] += 1
        return await original(self, sql, *args)
    return method
