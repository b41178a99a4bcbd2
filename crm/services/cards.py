"""The read model of an item card: everything the card shows, in one read."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound, PermissionDenied
from crm.models import (
    Activity,
    Company,
    Contact,
    EntityType,
    Item,
    Pipeline,
    Staff,
    Stage,
    StageChange,
    TimelineEntry,
)
from crm.services.card_item import CardItem
from crm.services.closing import HandMove
from crm.services.item_moves import MoveResult, move_item
from crm.services.notes import latest_notes
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
    history: list[StageChange]  # the last 10 changes, when asked for (the History button)
    activities: list[Activity] = field(default_factory=list)  # the open ones
    copied_from: int | None = None  # the item this one is a copy of (a copy rule made it)
    # the type of the item this one was made from, when another (a deal's invoice)
    made_from: EntityType | None = None
    extras: dict[str, object] = field(default_factory=dict)  # see CardService.add_extra
    notes: list[TimelineEntry] = field(default_factory=list)  # the latest, with the history

    @property
    def stage(self) -> Stage:
        return next(s for s in self.stages if s.id == self.item.stage_id)

    @property
    def stage_index(self) -> int:
        return next(i for i, s in enumerate(self.stages) if s.id == self.item.stage_id)

    def stage_by_id(self, stage_id: int | None) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)


CardExtra = Callable[[UnitOfWork, CardItem], Awaitable[object]]
# Waits until what a move started at once has finished; True: the card is to be read again.
Settle = Callable[[int], Awaitable[bool]]


class CardService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._extras: dict[str, CardExtra] = {}
        self._settle: Settle | None = None

    def add_extra(self, name: str, reader: CardExtra) -> None:
        """Something another package shows on cards (the automation's summary): read in
        the card's own transaction, found in `ItemCard.extras[name]`."""
        self._extras[name] = reader

    def settle_with(self, settle: Settle) -> None:
        """What lets a move's immediate consequences finish before the card after it is
        read (the automation's rules due at once: the card shows the item they left)."""
        self._settle = settle

    async def settled(self, item_id: int) -> bool:
        """After a move made elsewhere (its card read here later): waits as `move` does."""
        return await self._settle(item_id) if self._settle is not None else False

    async def card(self, actor: Staff | None, item_id: int,
                   with_history: bool = False) -> ItemCard:
        async with self._uow(write=False) as uow:
            return await load_card(uow, actor, item_id, with_history=with_history,
                                   extras=self._extras)

    async def move(self, actor: Staff, item_id: int, stage_id: int,
                   expected_version: int | None = None,
                   hand: HandMove | None = None) -> tuple[MoveResult, ItemCard]:
        """Moves the item (see ItemService.move) and reads its card in the same transaction:
        a stage button's press is one unit of work, not two."""
        async with self._uow() as uow:
            moved = await move_item(uow, actor, item_id, stage_id, self._clock.now(),
                                    expected_version, hand=hand)
            card = await load_card(uow, actor, item_id, moved.item, extras=self._extras)
            await uow.commit()
        if await self.settled(item_id):
            with suppress(PermissionDenied):  # a rule gave the item away: shown as moved
                card = await self.card(actor, item_id)
        return moved, card


async def load_card(uow: UnitOfWork, actor: Staff | None, item_id: int,
                    item: Item | None = None, with_history: bool = False,
                    extras: Mapping[str, CardExtra] | None = None) -> ItemCard:
    """The card of `item_id`; pass the item when this unit of work has read it already.
    `extras`: what other packages show on it (CardService.add_extra), read with the rest.
    The item and what is read by its id go together (on PostgreSQL one round trip); the
    access check follows, before anything read is shown."""
    extras = extras or {}
    with uow.together():
        reading = asyncio.ensure_future(_item(uow, item_id, item))
        subject = CardItem(item_id, reading)
        found_item, contact, company, history, activities, link, *found = await _all(
            reading,
            _contact(uow, item_id, item),
            _company(uow, item_id, item),
            uow.items.history(item_id, limit=10) if with_history else _none(),
            uow.activities.open_for_item(item_id),
            uow.item_copies.origin_of(item_id),
            *(read(uow, subject) for read in extras.values()))
    item = found_item
    if actor is not None:
        require_item_access(actor, item)
    entity_type = await uow.catalog.get_type(item.type_code)
    pipeline = await uow.catalog.get_pipeline(item.pipeline_id)
    assert entity_type is not None and pipeline is not None  # foreign keys guarantee both
    stages = await uow.catalog.list_stages(item.pipeline_id)
    responsible = await _responsible(uow, actor, item)
    origin = await uow.items.get(link.origin_id, with_products=False) if link else None
    made_from = await uow.catalog.get_type(origin.type_code) \
        if origin is not None and origin.type_code != item.type_code else None
    notes = await latest_notes(uow, item.id) if with_history else []
    return ItemCard(
        item=item, entity_type=entity_type, pipeline=pipeline, stages=stages, contact=contact,
        company=company, responsible=responsible, history=history or [],
        activities=activities, copied_from=link.origin_id if link else None, notes=notes,
        made_from=made_from, extras=dict(zip(extras, found, strict=True)),
    )


async def _all(*reads: Awaitable[Any]) -> list[Any]:
    """The reads' results, once all of them have finished: one that fails (an item that is
    not there) is raised then, not while the others still use the unit of work's
    connection, which goes back to the pool when the error leaves it. (One gather: its
    reads start in the next turn of the event loop, beside the item's, and their statements
    go in one pipeline with its BEGIN.)"""
    results = await asyncio.gather(*reads, return_exceptions=True)
    failed = next((r for r in results if isinstance(r, BaseException)), None)
    if failed is not None:
        raise failed
    return results


async def _item(uow: UnitOfWork, item_id: int, item: Item | None) -> Item:
    item = item or await uow.items.get(item_id)
    if item is None:
        raise NotFound(what=Entity.ITEM, ref=item_id)
    return item


async def _contact(uow: UnitOfWork, item_id: int, item: Item | None) -> Contact | None:
    if item is None:  # not read yet: by the item's id, beside it
        return await uow.clients.contact_of_item(item_id)
    return await uow.clients.get_contact(item.contact_id) if item.contact_id else None


async def _company(uow: UnitOfWork, item_id: int, item: Item | None) -> Company | None:
    if item is None:
        return await uow.clients.company_of_item(item_id)
    return await uow.clients.get_company(item.company_id) if item.company_id else None


async def _none() -> None:
    return None  # a read the card leaves out


async def _responsible(uow: UnitOfWork, actor: Staff | None, item: Item) -> Staff | None:
    if actor is not None and actor.user_id == item.responsible_id:
        return actor  # most cards are their responsible person's: no need to read them again
    return await uow.staff.get(item.responsible_id) if item.responsible_id else None
