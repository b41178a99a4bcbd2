"""Contacts and companies: the clients items belong to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.models import Company, Contact
from crm.storage.codec import storable, ts
from crm.storage.connection import Connection
from crm.storage.repos import fetch_one, insert_id
from crm.storage.search import search_text

# Search through the search tables (dialect.search): the newest FIND_CANDIDATES matches, by
# name (so that "ACME" comes before "ACME Holding" for callers that want the exact name).
FIND_CANDIDATES = 200
FIND_CONTACTS = """SELECT * FROM contacts WHERE id IN (
    SELECT rowid FROM contact_search WHERE {} ORDER BY rowid DESC LIMIT ?)
    ORDER BY name, id LIMIT ?"""
FIND_COMPANIES = """SELECT * FROM companies WHERE id IN (
    SELECT rowid FROM company_search WHERE {} ORDER BY rowid DESC LIMIT ?)
    ORDER BY name, id LIMIT ?"""
# By exact name, any case: lower() (ASCII) by index first; then, for "MÜLLER" and "Müller",
# the oldest contacts whose name has the same words (the search folds any case).
CONTACT_NAMED = "SELECT * FROM contacts WHERE lower(name) = lower(?) ORDER BY id LIMIT 50"
COMPANY_NAMED = "SELECT * FROM companies WHERE lower(name) = lower(?) ORDER BY id LIMIT 50"
CONTACT_WORDS = """SELECT * FROM contacts WHERE id IN (
    SELECT rowid FROM contact_search WHERE {} ORDER BY rowid LIMIT ?)"""
COMPANY_WORDS = """SELECT * FROM companies WHERE id IN (
    SELECT rowid FROM company_search WHERE {} ORDER BY rowid LIMIT ?)"""


def _contact(row: Any) -> Contact:
    return Contact(
        id=row["id"],
        name=row["name"],
        phone=row["phone"],
        email=row["email"],
        tg_chat_id=row["tg_chat_id"],
        tg_username=row["tg_username"],
        language=row["language"],
        company_id=row["company_id"],
        address=row["address"],
    )


contact_from_row = _contact  # for the contact directory (contact_directory.py)


def _company(row: Any) -> Company:
    return Company(
        id=row["id"], name=row["name"], phone=row["phone"], email=row["email"],
        tg_chat_id=row["tg_chat_id"], address=row["address"],
    )


class ClientRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add_contact(self, contact: Contact, now: datetime) -> Contact:
        contact.id = await insert_id(
            self._conn,
            """INSERT INTO contacts (name, phone, email, tg_chat_id, tg_username, language,
                                     company_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
            (contact.name, contact.phone, contact.email, contact.tg_chat_id, contact.tg_username,
             contact.language, contact.company_id, ts(now)),
        )
        return contact

    async def update_contact(self, contact: Contact) -> None:
        await self._conn.execute(
            """UPDATE contacts SET name = ?, phone = ?, email = ?, tg_chat_id = ?, tg_username = ?,
                 language = ?, company_id = ? WHERE id = ?""",
            (contact.name, contact.phone, contact.email, contact.tg_chat_id, contact.tg_username,
             contact.language, contact.company_id, contact.id),
        )

    async def get_contact(self, contact_id: int) -> Contact | None:
        if not storable(contact_id):
            return None
        row = await fetch_one(self._conn, "SELECT * FROM contacts WHERE id = ?", (contact_id,))
        return _contact(row) if row else None

    async def contact_of_item(self, item_id: int) -> Contact | None:
        """The contact of an item, by the item's id (read beside the item, not after it)."""
        row = await self._of_item("contacts", "contact_id", item_id)
        return _contact(row) if row else None

    async def _of_item(self, table: str, column: str, item_id: int) -> Any:
        """The row of `table` the item's `column` points to, by the item's id."""
        if not storable(item_id):
            return None
        return await fetch_one(self._conn, f"SELECT * FROM {table} WHERE id ="
                               f" (SELECT {column} FROM items WHERE id = ?)", (item_id,))

    async def contact_by_chat(self, chat_id: int) -> Contact | None:
        row = await fetch_one(
            self._conn, "SELECT * FROM contacts WHERE tg_chat_id = ? ORDER BY id LIMIT 1",
            (chat_id,)
        )
        return _contact(row) if row else None

    async def find_contacts(self, text: str, limit: int = 10) -> list[Contact]:
        """Contacts whose name, e-mail or phone number has words starting with the words of
        `text`, by name: the 200 newest matches at most are sorted (see FIND_CONTACTS)."""
        return [_contact(r) for r in await self._found(FIND_CONTACTS, "contact_search", text,
                                                       limit)]

    async def contact_named(self, name: str) -> Contact | None:
        """The oldest contact of exactly that name, in any case."""
        row = await self._named(CONTACT_NAMED, CONTACT_WORDS, "contact_search", name)
        return _contact(row) if row else None

    async def company_named(self, name: str) -> Company | None:
        """The oldest company of exactly that name, in any case."""
        row = await self._named(COMPANY_NAMED, COMPANY_WORDS, "company_search", name)
        return _company(row) if row else None

    async def _named(self, by_index: str, by_words: str, table: str, name: str) -> Any:
        key = name.lower()  # not casefold(): ß stays ß, as the search index keeps it
        rows = list(await self._conn.execute_fetchall(by_index, (name,)))
        words = search_text(name, prefix=False, column="name")
        if not any(r["name"].lower() == key for r in rows) and words:
            where, args = self._conn.dialect.search(table, words)
            rows = list(await self._conn.execute_fetchall(
                by_words.format(where), [*args, FIND_CANDIDATES]))
        return min((r for r in rows if r["name"].lower() == key), default=None,
                   key=lambda r: r["id"])

    async def add_company(self, company: Company, now: datetime) -> Company:
        company.id = await insert_id(
            self._conn,
            "INSERT INTO companies (name, phone, email, tg_chat_id, created_at)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (company.name, company.phone, company.email, company.tg_chat_id, ts(now)),
        )
        return company

    async def update_company(self, company: Company) -> None:
        await self._conn.execute(
            "UPDATE companies SET name = ?, phone = ?, email = ?, tg_chat_id = ? WHERE id = ?",
            (company.name, company.phone, company.email, company.tg_chat_id, company.id))

    async def get_company(self, company_id: int) -> Company | None:
        if not storable(company_id):
            return None
        row = await fetch_one(self._conn, "SELECT * FROM companies WHERE id = ?", (company_id,))
        return _company(row) if row else None

    async def company_of_item(self, item_id: int) -> Company | None:
        """The company of an item, by the item's id (as contact_of_item)."""
        row = await self._of_item("companies", "company_id", item_id)
        return _company(row) if row else None

    async def find_companies(self, text: str, limit: int = 10) -> list[Company]:
        """As find_contacts, for companies."""
        return [_company(r) for r in await self._found(FIND_COMPANIES, "company_search", text,
                                                       limit)]

    async def _found(self, sql: str, table: str, text: str, limit: int) -> list[Any]:
        found = search_text(text)
        if found is None:
            return []
        where, args = self._conn.dialect.search(table, found)
        return list(await self._conn.execute_fetchall(
            sql.format(where), [*args, FIND_CANDIDATES, limit]))

    async def add_companies(self, companies: list[Company], now: datetime) -> None:
        """Inserts many in one statement (a conversion batch), with ids taken first (see
        Dialect.new_ids)."""
        for company, new_id in zip(companies, await self._new_ids("companies", len(companies)),
                                   strict=True):
            company.id = new_id
        await self._conn.executemany(
            "INSERT INTO companies (id, name, phone, email, tg_chat_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(c.id, c.name, c.phone, c.email, c.tg_chat_id, ts(now)) for c in companies])

    async def add_contacts(self, contacts: list[Contact], now: datetime) -> None:
        """As add_companies, for contacts."""
        for contact, new_id in zip(contacts, await self._new_ids("contacts", len(contacts)),
                                   strict=True):
            contact.id = new_id
        await self._conn.executemany(
            """INSERT INTO contacts (id, name, phone, email, tg_chat_id, tg_username, language,
                                     company_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [(c.id, c.name, c.phone, c.email, c.tg_chat_id, c.tg_username, c.language,
              c.company_id, ts(now)) for c in contacts])

    async def _new_ids(self, table: str, count: int) -> list[int]:
        if not count:
            return []
        rows = await self._conn.execute_fetchall(self._conn.dialect.new_ids(table), (count,))
        return [int(row[0]) for row in rows]
