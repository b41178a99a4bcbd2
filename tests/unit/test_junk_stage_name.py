"""The leads' failure stage for leads that are no fit is "Ungeeignet" in German (it was
"Ausschuss", factory scrap), in a new database and in one that had the old name; a name an
admin chose stays."""

from __future__ import annotations

from pathlib import Path

import aiosqlite

from crm.storage.database import Database
from tests.databases import database_location, query, sqlite_only


async def junk_name(path: str | Path) -> str:
    return str((query(path, "SELECT name_de FROM stages WHERE code = 'junk'") or [("",)])[0][0])


async def test_a_new_database_says_ungeeignet(tmp_path: Path) -> None:
    location = database_location(tmp_path)
    db = Database(location)
    await db.open()
    await db.close()
    assert await junk_name(location) == "Ungeeignet"


@sqlite_only  # migration 028's: a PostgreSQL database begins at baseline 029 (Ungeeignet)
async def test_the_old_name_is_replaced_and_a_chosen_one_kept(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite3"
    db = Database(path)
    await db.open()
    await db.close()
    for old, expected in (("Ausschuss", "Ungeeignet"), ("Passt nicht", "Passt nicht")):
        async with aiosqlite.connect(path) as conn:
            await conn.execute("UPDATE stages SET name_de = ? WHERE code = 'junk'", (old,))
            await conn.execute("PRAGMA user_version = 28")
            await conn.commit()
        db = Database(path)
        await db.open()
        await db.close()
        assert await junk_name(path) == expected
