"""What a rule looks at: the item and everything around it, read in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass

from crm.models import Company, Contact, Item, Staff, Stage
from crm.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class Subject:
    item: Item
    stage: Stage
    previous_stage: Stage | None = None
    contact: Contact | None = None
    company: Company | None = None
    responsible: Staff | None = None


async def load_subject(
    uow: UnitOfWork, item: Item, previous_stage_id: int | None = None
) -> Subject:
    """Reads the item's surroundings; `item` should be freshly loaded with products."""
    stage = await uow.catalog.get_stage(item.stage_id)
    assert stage is not None  # foreign key guarantees it
    previous = await uow.catalog.get_stage(previous_stage_id) if previous_stage_id else None
    return Subject(
        item=item,
        stage=stage,
        previous_stage=previous,
        contact=await uow.clients.get_contact(item.contact_id) if item.contact_id else None,
        company=await uow.clients.get_company(item.company_id) if item.company_id else None,
        responsible=await uow.staff.get(item.responsible_id) if item.responsible_id else None,
    )
