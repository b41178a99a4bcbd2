"""The item service: creating, reading and listing items, and moving them (the moves
themselves are in crm.services.item_moves). `create_item` is the step other use cases
create items with, in their own unit of work."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, InvalidInput, NotFound
from crm.events import ItemEnteredStage
from crm.models import Item, Pipeline, Product, Staff, Stage, StageChange
from crm.queries import ItemPage, ItemQuery
from crm.services.clients import contact_named
from crm.services.closing import HandMove
from crm.services.item_moves import MoveResult, move_item
from crm.services.mode import clean_lead_source, ensure_type_allowed
from crm.services.stage_match import match_stage
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

MAX_TITLE = 200


@dataclass(slots=True)
class NewItem:
    type_code: str
    title: str
    pipeline_id: int | None = None
    amount: Decimal | None = None
    currency: str | None = None
    contact_id: int | None = None
    contact_name: str | None = None  # found or created with the item, when no contact_id
    company_id: int | None = None
    responsible_id: int | None = None
    source: str | None = None
    custom: dict[str, Any] = field(default_factory=dict)
    products: list[Product] = field(default_factory=list)
    stage_id: int | None = None  # a stage of the pipeline; None: its first stage


class ItemService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, default_currency: str = "EUR"):
        self._uow = uow
        self._clock = clock
        self._currency = default_currency

    @property
    def default_currency(self) -> str:
        return self._currency

    async def create(self, actor: Staff | None, new: NewItem) -> Item:
        title = one_line(new.title)
        if not title or len(title) > MAX_TITLE:
            raise InvalidInput(field="title", value=new.title)
        async with self._uow() as uow:
            item = await create_item(uow, actor, new, self._clock.now(),
                                     default_currency=self._currency)
            await uow.commit()
        return item

    async def get(self, actor: Staff, item_id: int) -> Item:
        async with self._uow(write=False) as uow:
            item = await uow.items.get(item_id)
        if item is None:
            raise NotFound(what=Entity.ITEM, ref=item_id)
        require_item_access(actor, item)
        return item

    async def move(
        self,
        actor: Staff | None,
        item_id: int,
        stage_id: int,
        expected_version: int | None = None,
        cause: str | None = None,
        hand: HandMove | None = None,
    ) -> MoveResult:
        """Moves an item into a stage of its pipeline. `expected_version` comes from the card
        the button was pressed on: a card that no longer matches the item moves nothing.
        `hand`: moved by hand (see move_item)."""
        async with self._uow() as uow:
            result = await move_item(uow, actor, item_id, stage_id, self._clock.now(),
                                     expected_version, cause, hand)
            await uow.commit()
        return result

    async def resolve_stage(self, item: Item, ref: str) -> Stage:
        """A stage of the item's pipeline by position number or by (start of) its name."""
        async with self._uow(write=False) as uow:
            stages = await uow.catalog.list_stages(item.pipeline_id)
        return match_stage(stages, ref)

    async def page(self, actor: Staff, query: ItemQuery) -> ItemPage:
        """A page of a list or search (see ItemQuery, ItemPage): what `actor` may see."""
        if not actor.sees_all_items:
            query.visible_to = actor.user_id
        async with self._uow(write=False) as uow:
            return await uow.items.query(query)

    async def list(self, actor: Staff, query: ItemQuery) -> tuple[list[Item], int]:
        """The items of a page and their count (exact up to COUNT_CAP)."""
        found = await self.page(actor, query)
        return found.items, found.total

    # builtins.list: in this class `list` names the method above.
    async def history(self, actor: Staff, item_id: int) -> builtins.list[StageChange]:
        item = await self.get(actor, item_id)
        async with self._uow(write=False) as uow:
            return await uow.items.history(item.id)



async def create_item(uow: UnitOfWork, actor: Staff | None, new: NewItem, now: datetime, *,
                      default_currency: str = "EUR", cause: str | None = None) -> Item:
    """Creates the item in `uow` at `now` (conversions, inquiries and copies use it too).
    `cause` as in move_item: set when automation creates it (a copy), for the loop guard."""
    entity_type = await uow.catalog.get_type(new.type_code)
    if entity_type is None:
        raise NotFound(what=Entity.TYPE, ref=new.type_code)
    await ensure_type_allowed(uow, new.type_code)  # no leads in simple mode
    source = clean_lead_source(new.source) if new.type_code == "lead" else new.source
    pipeline = await _pipeline_for(uow, new.type_code, new.pipeline_id)
    stages = await uow.catalog.list_stages(pipeline.id)
    if not stages:
        raise NotFound(what=Entity.STAGE, ref=pipeline.id)
    first = next((s for s in stages if s.id == new.stage_id), None) if new.stage_id else \
        stages[0]
    if first is None:
        raise NotFound(what=Entity.STAGE, ref=new.stage_id)
    if new.contact_id is None and new.contact_name:
        new.contact_id = (await contact_named(uow, new.contact_name, now)).id
    company_id = new.company_id
    if company_id is None and new.contact_id is not None:
        contact = await uow.clients.get_contact(new.contact_id)
        if contact is None:
            raise NotFound(what=Entity.CONTACT, ref=new.contact_id)
        company_id = contact.company_id
    responsible = new.responsible_id
    if responsible is None and actor is not None:
        responsible = actor.user_id
    item = Item(
        id=0, type_code=new.type_code, pipeline_id=pipeline.id, stage_id=first.id,
        title=one_line(new.title), amount=new.amount, currency=new.currency or default_currency,
        contact_id=new.contact_id, company_id=company_id, responsible_id=responsible,
        source=source, custom=dict(new.custom), closed=first.is_final, version=1,
        created_by=actor.user_id if actor else None, created_at=now, updated_at=now,
        stage_entered_at=now, products=list(new.products),
    )
    if item.products and item.amount is None:
        item.amount = sum((p.total for p in item.products), Decimal(0))
    await uow.items.add(item)
    by = actor.user_id if actor else None
    await uow.items.add_history(StageChange(item.id, None, item.stage_id, by, now))
    await uow.publish(ItemEnteredStage(
        item_id=item.id, type_code=item.type_code, pipeline_id=item.pipeline_id,
        from_stage_id=None, to_stage_id=item.stage_id, by_user_id=by, at=now, cause=cause,
    ))
    return item


async def _pipeline_for(uow: UnitOfWork, type_code: str, pipeline_id: int | None) -> Pipeline:
    if pipeline_id is not None:
        pipeline = await uow.catalog.get_pipeline(pipeline_id)
        if pipeline is None or pipeline.type_code != type_code:
            raise NotFound(what=Entity.PIPELINE, ref=pipeline_id)
        return pipeline
    pipelines = await uow.catalog.list_pipelines(type_code)
    if not pipelines:
        raise NotFound(what=Entity.PIPELINE, ref=type_code)
    return next((p for p in pipelines if p.is_default), pipelines[0])
