"""The read model of an item card: everything the card shows, in one read."""

from __future__ import annotations

from dataclasses import dataclass

from crm.access import require_item_access
from crm.errors import NotFound
from crm.models import Company, Contact, EntityType, Item, Pipeline, Staff, Stage, StageChange
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(slots=True)
class ItemCard:
    item: Item
    entity_type: EntityType
    pipeline: Pipeline
    stages: list[Stage]
    contact: Contact | None
    company: Company | None
    responsible: Staff | None
    history: list[StageChange]

    @property
    def stage(self) -> Stage:
        return next(s for s in self.stages if s.id == self.item.stage_id)

    @property
    def stage_index(self) -> int:
        return next(i for i, s in enumerate(self.stages) if s.id == self.item.stage_id)

    def stage_by_id(self, stage_id: int | None) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


class CardService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def card(self, actor: Staff | None, item_id: int) -> ItemCard:
        async with self._uow(write=False) as uow:
            return await load_card(uow, actor, item_id)


async def load_card(uow: UnitOfWork, actor: Staff | None, item_id: int) -> ItemCard:
    item = await uow.items.get(item_id)
    if item is None:
        raise NotFound(what="item", ref=item_id)
    if actor is not None:
        require_item_access(actor, item)
    entity_type = await uow.catalog.get_type(item.type_code)
    pipeline = await uow.catalog.get_pipeline(item.pipeline_id)
    assert entity_type is not None and pipeline is not None  # foreign keys guarantee both
    return ItemCard(
        item=item,
        entity_type=entity_type,
        pipeline=pipeline,
        stages=await uow.catalog.list_stages(item.pipeline_id),
        contact=await uow.clients.get_contact(item.contact_id) if item.contact_id else None,
        company=await uow.clients.get_company(item.company_id) if item.company_id else None,
        responsible=await uow.staff.get(item.responsible_id) if item.responsible_id else None,
        history=await uow.items.history(item.id, limit=10),
    )
