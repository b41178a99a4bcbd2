"""Contacts as a list (newest first, by id: keyset pages), searched, and compared with a new
one (duplicates). Reached through `uow.extension(ContactDirectory)`.

Every query reads through an index: the primary key, contact_search (dialect.search),
contacts_by_email and contacts_by_phone_key (migration 018), items_by_contact (004).
"""

from __future__ import annotations

from typing import Any

from crm.models import Contact, Item
from crm.storage.codec import placeholders
from crm.storage.connection import Connection
from crm.storage.repos.clients import FIND_CANDIDATES, contact_from_row
from crm.storage.repos.item_rows import item_from_row
from crm.storage.search import SearchText

OLDER = "SELECT * FROM contacts WHERE id < ? ORDER BY id DESC LIMIT ?"
NEWER = "SELECT * FROM contacts WHERE id > ? ORDER BY id LIMIT ?"
FOUND_OLDER = """SELECT * FROM contacts WHERE id IN (
    SELECT rowid FROM contact_search WHERE {} AND rowid < ?
    ORDER BY rowid DESC LIMIT ?) ORDER BY id DESC"""
FOUND_NEWER = """SELECT * FROM contacts WHERE id IN (
    SELECT rowid FROM contact_search WHERE {} AND rowid > ?
    ORDER BY rowid LIMIT ?) ORDER BY id"""
BY_EMAIL = "SELECT * FROM contacts WHERE lower(email) = lower(?) LIMIT 20"
BY_PHONE_KEY = "SELECT * FROM contacts WHERE phone_key IN ({}) LIMIT 20"
BY_WORDS = """SELECT * FROM contacts WHERE id IN (
    SELECT rowid FROM contact_search WHERE {} ORDER BY rowid DESC LIMIT ?)"""
ITEMS = "SELECT * FROM items WHERE contact_id = ? ORDER BY id DESC LIMIT ?"
ITEMS_OF_OWNER = """SELECT * FROM items WHERE contact_id = ?
    AND (responsible_id = ? OR responsible_id IS NULL) ORDER BY id DESC LIMIT ?"""
MAX_SAME = 20  # contacts read per kind of likeness


class ContactDirectory:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def page(self, found: SearchText | None, before: int | None, after: int | None,
                   limit: int) -> list[Contact]:
        """Up to `limit` contacts, newest first: the first page, those older than `before` or
        those newer than `after`; only those the search `found` finds, when given."""
        where, match = self._conn.dialect.search("contact_search", found) if found else ("", [])
        if after is not None:
            sql, args = (NEWER, [after, limit]) if found is None else \
                (FOUND_NEWER.format(where), [*match, after, limit])
            rows = list(await self._conn.execute_fetchall(sql, args))
            rows.reverse()
        else:
            start = before if before is not None else 2 ** 63 - 1
            sql, args = (OLDER, [start, limit]) if found is None else \
                (FOUND_OLDER.format(where), [*match, start, limit])
            rows = list(await self._conn.execute_fetchall(sql, args))
        return [contact_from_row(r) for r in rows]

    async def by_email(self, email: str) -> list[Contact]:
        return self._contacts(await self._conn.execute_fetchall(BY_EMAIL, (email,)))

    async def by_phone_keys(self, keys: list[str]) -> list[Contact]:
        """Contacts whose number's digits (without leading zeros) are one of `keys`."""
        if not keys:
            return []
        sql = BY_PHONE_KEY.format(placeholders(keys))
        return self._contacts(await self._conn.execute_fetchall(sql, keys))

    async def by_search(self, found: SearchText) -> list[Contact]:
        """The newest contacts a search finds (names, number suffixes)."""
        where, args = self._conn.dialect.search("contact_search", found)
        return self._contacts(await self._conn.execute_fetchall(
            BY_WORDS.format(where), [*args, FIND_CANDIDATES]))

    async def items(self, contact_id: int, owner: int | None, limit: int) -> list[Item]:
        """The contact's newest items; with `owner`, only theirs and unassigned ones."""
        if owner is None:
            rows = await self._conn.execute_fetchall(ITEMS, (contact_id, limit))
        else:
            rows = await self._conn.execute_fetchall(ITEMS_OF_OWNER, (contact_id, owner, limit))
        return [item_from_row(r) for r in rows]

    async def company_names(self, ids: set[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = await self._conn.execute_fetchall(
            f"SELECT id, name FROM companies WHERE id IN ({', '.join('?' * len(ids))})",
            sorted(ids))
        return {int(r[0]): str(r[1]) for r in rows}

    @staticmethod
    def _contacts(rows: Any) -> list[Contact]:
        return [contact_from_row(r) for r in rows]
