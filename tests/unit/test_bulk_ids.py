"""Rows a conversion batch inserts with ids of their own, and rows added one at a time
after them, never share an id (on PostgreSQL an explicit id does not move the table's
identity on: the batch takes its ids from it)."""

from __future__ import annotations

from datetime import UTC, datetime

from crm.container import CrmServices
from crm.models import Company, Contact

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


async def test_contacts_and_companies_added_after_a_batch_get_new_ids(
        services: CrmServices) -> None:
    async with services.uow() as uow:
        single = await uow.clients.add_contact(Contact(0, "Before"), NOW)
        companies = [Company(0, f"Firma {n}") for n in range(3)]
        await uow.clients.add_companies(companies, NOW)
        batch = [Contact(0, f"Batch {n}") for n in range(3)]
        await uow.clients.add_contacts(batch, NOW)
        after = await uow.clients.add_contact(Contact(0, "After"), NOW)
        company = await uow.clients.add_company(Company(0, "Firma danach"), NOW)
        await uow.commit()
    contact_ids = [single.id, *(c.id for c in batch), after.id]
    assert len(set(contact_ids)) == 5 and after.id > max(c.id for c in batch)
    assert company.id not in {c.id for c in companies}
    async with services.uow(write=False) as uow:
        names = {c.id: c.name for c in [await uow.clients.get_contact(i) for i in contact_ids]
                 if c is not None}
    assert names[after.id] == "After" and names[batch[0].id] == "Batch 0"
