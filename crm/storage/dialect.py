"""The few places where SQLite's and PostgreSQL's SQL differ, as one small object each.

Everything else is one SQL set both accept. A repository reads the fragment it needs from
its connection's dialect (`conn.dialect.skip_locked`) instead of keeping two queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm.storage.search import SearchText


@dataclass(frozen=True)
class Dialect:
    name: str  # "sqlite" or "postgresql"
    # Appended to a SELECT that claims rows: other transactions skip the rows this one
    # locked instead of waiting for them (PostgreSQL; SQLite has one writer anyway).
    skip_locked: str
    # Whether item_search's words have a table of their own, in which a search finds the
    # newest items of a common word quickly (crm/storage/postgres/search_words.py); SQLite's
    # FTS5 reads a word's items in id order anyway.
    search_words: bool = False

    def shared_lock(self, alias: str) -> str:
        """Appended to a SELECT: the rows of `alias` it read stay as read until this
        transaction ends — a change in flight is waited for and read, a later one waits
        (PostgreSQL; SQLite's writer is alone, so nothing changes under it)."""
        return "" if self.name == "sqlite" else f" FOR SHARE OF {alias}"

    def new_ids(self, table: str) -> str:
        """SQL for `?` new ids of a table's rows that a bulk insert gives explicitly: from
        the table's identity on PostgreSQL (an explicit id does not move it on); after the
        highest on SQLite (one writer at a time: nobody takes them meanwhile)."""
        if self.name == "sqlite":
            return ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                    f" SELECT (SELECT COALESCE(MAX(id), 0) FROM {table}) + i FROM n")
        return (f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))"
                " FROM generate_series(1, ?)")

    def unindexed(self, column: str) -> str:
        """`column` in a condition the planner must not answer from an index on it: SQLite
        has no statistics and would pick a worse index without the hint; PostgreSQL has
        them (and no unary plus on text)."""
        return f"+{column}" if self.name == "sqlite" else column

    def json_text(self, column: str, key: str) -> str:
        """SQL for the text of a top-level key of a JSON text column (NULL when absent)."""
        if self.name == "sqlite":
            return f"json_extract({column}, '$.{key}')"
        return f"(CAST({column} AS jsonb) ->> '{key}')"

    def days_between(self, later: str, earlier: str) -> str:
        """SQL for the days (a fraction) between two ISO timestamps stored as text."""
        if self.name == "sqlite":
            return f"(julianday({later}) - julianday({earlier}))"
        return (f"(EXTRACT(EPOCH FROM CAST({later} AS timestamptz)"
                f" - CAST({earlier} AS timestamptz)) / 86400.0)")

    @property
    def ordered_join(self) -> str:
        """A join read in the order written (SQLite's planner keeps a CROSS JOIN's order:
        a search index drives; PostgreSQL's plans by its statistics)."""
        return "CROSS JOIN" if self.name == "sqlite" else "JOIN"

    def search(self, table: str, found: SearchText, alias: str | None = None,
               owners: Sequence[str] | None = None) -> tuple[str, list[Any]]:
        """The condition (and its arguments) that rows of the search table `table` (named
        `alias` in the statement) match `found`; `owners`: an item's `owner` token is one
        of them. SQLite: an FTS5 MATCH; PostgreSQL: trigram-indexed patterns."""
        # Imported here: both import the repositories' package, which imports this module.
        if self.name == "sqlite":
            from crm.storage.sqlite.search import fts5_query
            return f"{table} MATCH ?", [fts5_query(found, table, owners)]
        from crm.storage.postgres.search import condition
        return condition(found, table, alias or table, owners)


SQLITE = Dialect(name="sqlite", skip_locked="")
POSTGRESQL = Dialect(name="postgresql", skip_locked=" FOR UPDATE SKIP LOCKED",
                     search_words=True)
