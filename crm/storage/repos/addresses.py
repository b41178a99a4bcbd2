"""Postal addresses of contacts and companies (migration 027), written apart from their
other details: a change of phone or e-mail never touches the address, and the reverse.
Reached through `uow.extension(PostalAddresses)`; read with the contact or company."""

from __future__ import annotations

from crm.storage.connection import Connection


class PostalAddresses:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def set_contact(self, contact_id: int, address: str | None) -> None:
        await self._conn.execute("UPDATE contacts SET address = ? WHERE id = ?",
                                 (address, contact_id))

    async def set_company(self, company_id: int, address: str | None) -> None:
        await self._conn.execute("UPDATE companies SET address = ? WHERE id = ?",
                                 (address, company_id))
