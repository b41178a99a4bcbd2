"""Moving items between the stages of their pipeline, one at a time or many in one go,
inside a unit of work the caller opened (ItemService.move opens one and commits; rule
kinds, triggers and conversions move in theirs)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from crm.access import require_item_access
from crm.errors import AlreadyInStage, Entity, NotFound, StaleCard
from crm.events import ItemEnteredStage
from crm.models import Item, Staff, Stage, StageChange
from crm.services.closing import HandMove, lost_reason_of_move
from crm.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class MoveResult:
    item: Item
    from_stage: Stage
    to_stage: Stage


async def move_item(
    uow: UnitOfWork,
    actor: Staff | None,
    item_id: int,
    stage_id: int,
    now: datetime,
    expected_version: int | None = None,
    cause: str | None = None,
    hand: HandMove | None = None,
) -> MoveResult:
    """Moves the item into a stage of its pipeline at `now`. `cause`: set when automation
    moves it, for the loop guard. `hand`: someone moved it by hand — into a failure stage
    only with a lost reason, out of a success stage only confirmed (else a MoveQuestion,
    crm/services/closing.py); a move without it (automation) records no reason."""
    item = await uow.items.get(item_id)
    if item is None:
        raise NotFound(what=Entity.ITEM, ref=item_id)
    if actor is not None:
        require_item_access(actor, item)
    if expected_version is not None and expected_version != item.version:
        raise StaleCard(item_id=item_id)
    stages = await uow.catalog.list_stages(item.pipeline_id)  # the card reads them too
    target = next((s for s in stages if s.id == stage_id), None)
    if target is None:
        raise NotFound(what=Entity.STAGE, ref=stage_id)
    if target.id == item.stage_id:
        raise AlreadyInStage(item_id=item_id, stage_id=stage_id)
    source = next(s for s in stages if s.id == item.stage_id)  # its own pipeline's
    item.lost_reason = await lost_reason_of_move(uow, item, source, target, hand)
    version = item.version
    item.stage_id = target.id
    item.closed = target.is_final
    item.updated_at = now
    item.stage_entered_at = now
    item.stages_reached = item.stages_reached | {target.id}  # as the history's trigger does
    by = actor.user_id if actor else None
    with uow.together():  # on PostgreSQL one round trip; a stale card rolls both back
        saved, _added = await asyncio.gather(
            uow.items.save(item, version),
            uow.items.add_history(StageChange(item.id, source.id, target.id, by, now,
                                              item.lost_reason)))
    if not saved:
        raise StaleCard(item_id=item_id)
    await uow.publish(ItemEnteredStage(
        item_id=item.id, type_code=item.type_code, pipeline_id=item.pipeline_id,
        from_stage_id=source.id, to_stage_id=target.id, by_user_id=by, at=now, cause=cause,
    ))
    return MoveResult(item=item, from_stage=source, to_stage=target)


async def move_items(
    uow: UnitOfWork, actor: Staff | None, moves: list[tuple[Item, int]], now: datetime,
    cause: str | None = None,
) -> None:
    """Moves items already read in this unit of work, each into a stage of its pipeline,
    with one statement per table instead of one per item (the switch to simple mode
    closes thousands of leads). The items' versions guard the writes as in move_item;
    each item's ItemEnteredStage is published as by move_item."""
    by = actor.user_id if actor else None
    changes: list[StageChange] = []
    for item, stage_id in moves:
        if actor is not None:
            require_item_access(actor, item)
        target = await uow.catalog.get_stage(stage_id)
        if target is None or target.pipeline_id != item.pipeline_id:
            raise NotFound(what=Entity.STAGE, ref=stage_id)
        if target.id == item.stage_id:
            raise AlreadyInStage(item_id=item.id, stage_id=stage_id)
        changes.append(StageChange(item.id, item.stage_id, target.id, by, now))
        item.stage_id, item.closed = target.id, target.is_final
        item.updated_at = item.stage_entered_at = now
    if await uow.items.move_many([item for item, _ in moves]) != len(moves):
        raise StaleCard(item_id=moves[0][0].id)
    await uow.items.add_history_many(changes)
    for (item, _), change in zip(moves, changes, strict=True):
        item.version += 1
        await uow.publish(ItemEnteredStage(
            item_id=item.id, type_code=item.type_code, pipeline_id=item.pipeline_id,
            from_stage_id=change.from_stage_id, to_stage_id=change.to_stage_id,
            by_user_id=by, at=now, cause=cause,
        ))
