"""The database: `Database(location)` is SQLite's or PostgreSQL's (see base_database.py)."""

from __future__ import annotations

from crm.storage.base_database import (
    READERS,
    Database,
    Mode,
    available_migrations,
    is_postgresql,
)
from crm.storage.postgres.database import PostgresDatabase
from crm.storage.sqlite.database import SqliteDatabase

Database.kinds.update({False: SqliteDatabase, True: PostgresDatabase})

__all__ = ["READERS", "Database", "Mode", "available_migrations", "is_postgresql"]
