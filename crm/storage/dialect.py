"""The few places where SQLite's and PostgreSQL's SQL differ, as one small object each.

Everything else is one SQL set both accept. A repository reads the fragment it needs from
its connection's dialect (`conn.dialect.skip_locked`) instead of keeping two queries.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str  # "sqlite" or "postgresql"
    # Appended to a SELECT that claims rows: other transactions skip the rows this one
    # locked instead of waiting for them (PostgreSQL; SQLite has one writer anyway).
    skip_locked: str

    def days_between(self, later: str, earlier: str) -> str:
        """SQL for the days (a fraction) between two ISO timestamps stored as text."""
        if self.name == "sqlite":
            return f"(julianday({later}) - julianday({earlier}))"
        return (f"(EXTRACT(EPOCH FROM CAST({later} AS timestamptz)"
                f" - CAST({earlier} AS timestamptz)) / 86400.0)")


SQLITE = Dialect(name="sqlite", skip_locked="")
POSTGRESQL = Dialect(name="postgresql", skip_locked=" FOR UPDATE SKIP LOCKED")
