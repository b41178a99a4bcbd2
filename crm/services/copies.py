"""Copies of an item (a "copy the item" rule, once or on a schedule): same type, any of its
pipelines and stages, with the origin's fields, products, client and responsible person.
The copy remembers its origin ("copy of #N" on its card) and enters its stage like any new
item, so that stage's rules run for it."""

from __future__ import annotations

from datetime import datetime

from crm.errors import Entity, InputProblem, InvalidInput, NotFound
from crm.models import CopyLink, Item, Product, Stage
from crm.services.items import MAX_TITLE, NewItem, create_item
from crm.storage.unit_of_work import UnitOfWork
from crm.text import one_line


async def copy_item(uow: UnitOfWork, origin: Item, stage_id: int, now: datetime, *,
                    title: str | None = None, cause: str | None = None,
                    schedule_id: int | None = None, occurrence: int | None = None) -> Item | None:
    """The copy, made in `uow`; None when this occurrence of the schedule made its copy
    already. Raises NotFound (stage gone), InvalidInput (OTHER_TYPE or NOT_A_TITLE),
    or what creating an item raises (e.g. leads are off in simple mode)."""
    stage = await uow.catalog.get_stage(stage_id)
    pipeline = await uow.catalog.get_pipeline(stage.pipeline_id) if stage else None
    if stage is None or pipeline is None:
        raise NotFound(what=Entity.STAGE, ref=stage_id)
    if pipeline.type_code != origin.type_code:
        raise InvalidInput(field="pipeline", value=pipeline.id, problem=InputProblem.OTHER_TYPE)
    links = uow.item_copies
    if schedule_id is not None and occurrence is not None \
            and await links.made_for(schedule_id, occurrence) is not None:
        return None
    name = one_line(title if title is not None else origin.title)
    if not name or len(name) > MAX_TITLE:
        raise InvalidInput(field="title", value=name[:40], problem=InputProblem.NOT_A_TITLE)
    new = NewItem(
        type_code=origin.type_code, title=name, pipeline_id=pipeline.id, amount=origin.amount,
        currency=origin.currency, contact_id=origin.contact_id, company_id=origin.company_id,
        responsible_id=origin.responsible_id, source=origin.source, custom=dict(origin.custom),
        products=[Product(p.name, p.price, p.quantity) for p in origin.products],
        stage_id=stage.id)
    copy = await create_item(uow, None, new, now, cause=cause)
    await links.add(CopyLink(copy_id=copy.id, origin_id=origin.id, at=now,
                             schedule_id=schedule_id, occurrence=occurrence))
    return copy


async def create_from(uow: UnitOfWork, origin: Item, type_code: str, pipeline_id: int | None,
                      now: datetime, *, title: str | None = None,
                      cause: str | None = None) -> tuple[Item, Stage]:
    """A new item of another type made from `origin` (a deal's invoice), with its client,
    responsible person, products, amount, currency, source and custom fields, in the first
    stage of `pipeline_id` (None: the type's default pipeline), where that stage's rules run
    for it; it remembers its origin as a copy does. Raises what creating an item raises,
    and InvalidInput (NOT_A_TITLE)."""
    name = one_line(title if title is not None else origin.title)
    if not name or len(name) > MAX_TITLE:
        raise InvalidInput(field="title", value=name[:40], problem=InputProblem.NOT_A_TITLE)
    new = NewItem(
        type_code=type_code, title=name, pipeline_id=pipeline_id, amount=origin.amount,
        currency=origin.currency, contact_id=origin.contact_id, company_id=origin.company_id,
        responsible_id=origin.responsible_id,
        source=origin.source if type_code != "lead" else None, custom=dict(origin.custom),
        products=[Product(p.name, p.price, p.quantity) for p in origin.products])
    made = await create_item(uow, None, new, now, cause=cause)
    await uow.item_copies.add(CopyLink(copy_id=made.id, origin_id=origin.id, at=now))
    stage = await uow.catalog.get_stage(made.stage_id)
    assert stage is not None  # it was just entered
    return made, stage
