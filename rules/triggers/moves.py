"""The one way a trigger (or a client's button) moves an item: forward only unless it says
otherwise, within the item's pipeline, as the automation (the stage's rules then run)."""

from __future__ import annotations

import enum
import logging
from datetime import datetime

from crm.errors import AppError
from crm.models import Item
from crm.services.item_moves import move_item
from crm.storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class Outcome(enum.StrEnum):
    MOVED = "moved"
    ALREADY_THERE = "already_there"
    BACKWARDS = "backwards"  # the stage is earlier and the trigger may not go back
    OTHER_PIPELINE = "other_pipeline"
    NO_TRIGGER = "no_trigger"
    CONDITION_FALSE = "condition_false"  # the trigger's condition does not hold: no move
    REFUSED = "refused"  # the move itself failed (e.g. the loop guard); logged


async def move_by_trigger(uow: UnitOfWork, now: datetime, item: Item, stage_id: int,
                          backwards: bool, cause: str) -> Outcome:
    """Moves `item` into `stage_id` when a trigger may; a failing move changes nothing."""
    target = await uow.catalog.get_stage(stage_id)
    current = await uow.catalog.get_stage(item.stage_id)
    if target is None or current is None or target.pipeline_id != item.pipeline_id:
        return Outcome.OTHER_PIPELINE
    if target.id == current.id:
        return Outcome.ALREADY_THERE
    if target.position < current.position and not backwards:
        return Outcome.BACKWARDS
    try:
        async with uow.savepoint("trigger_move"):
            await move_item(uow, None, item.id, target.id, now, cause=cause)
    except AppError as error:  # e.g. AutomationLoop: what raised the event still happens
        log.warning("trigger %s could not move item %s: %s", cause, item.id, error)
        return Outcome.REFUSED
    return Outcome.MOVED
