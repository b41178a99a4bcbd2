"""Closing an item by hand: a move into a failure stage needs a lost reason (one of the
pipeline's list or free text), a won item is reopened only when confirmed; the admins'
lists of lost reasons.

Why the question comes first and the move only with the answer: the reason is written
in the move's own transaction, so the failure stage's rules (planned in that transaction,
run after it) see `item.lost_reason`; the question's buttons carry the card's version, so
a stale card or a second press moves nothing (StaleCard); and no item sits in a failure
stage without its reason because someone ignored a question. Automation (rules,
triggers) moves without a reason.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from crm.access import require_settings_right
from crm.errors import AppError, Entity, NotFound
from crm.i18n import LANGUAGES, N_, translate
from crm.models import Item, Pipeline, Staff, Stage, StageKind
from crm.storage.repos.lost_reasons import LostReason, LostReasonRepo
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

# What migration 015 gives every pipeline (names are message ids: German in closing.po).
DEFAULT_REASONS = (N_("Price"), N_("Competitor"), N_("No budget"), N_("No response"),
                   N_("Timing"), N_("Other"))
MAX_REASON = 200  # characters of a reason typed in
MAX_LISTED = 40  # characters of a reason on the list (it is a button)
MAX_REASONS = 20  # reasons on one pipeline's list


class ReasonProblem(enum.StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    TAKEN = "taken"  # the list has it already
    TOO_MANY = "too_many"
    UNKNOWN = "unknown"  # not (or no longer) on the item's pipeline's list


class LostReasonRefused(AppError):
    code = "lost_reason_refused"

    def __init__(self, problem: ReasonProblem, limit: int = 0) -> None:
        super().__init__(reason=problem, limit=limit)
        self.problem, self.limit = problem, limit


class MoveQuestion(AppError):
    """A move by hand that needs an answer first; nothing was changed. The question's
    buttons move with the version the item had when it was asked."""

    def __init__(self, item: Item, to_stage: Stage, from_stage: Stage) -> None:
        super().__init__(item_id=item.id, stage_id=to_stage.id, version=item.version)
        self.item, self.to_stage, self.from_stage = item, to_stage, from_stage


class LostReasonNeeded(MoveQuestion):
    code = "lost_reason_needed"


class ReopenNeedsConfirmation(MoveQuestion):
    code = "reopen_needs_confirmation"


@dataclass(slots=True, frozen=True)
class HandMove:
    """A move someone made by hand (card buttons, /move), with what they answered."""

    reason: str | None = None  # typed in
    reason_id: int | None = None  # chosen from the pipeline's list
    reopen_confirmed: bool = False


async def lost_reason_of_move(uow: UnitOfWork, item: Item, source: Stage, target: Stage,
                              hand: HandMove | None) -> str | None:
    """The lost reason the item has after moving from `source` to `target` (None: none);
    raises a MoveQuestion when a move by hand needs an answer first."""
    if hand is None or target.kind is not StageKind.FAILURE:
        if (hand is not None and source.kind is StageKind.SUCCESS
                and target.kind is StageKind.PROGRESS and not hand.reopen_confirmed):
            raise ReopenNeedsConfirmation(item, target, source)
        return None
    if hand.reason_id is not None:
        listed = await uow.extension(LostReasonRepo).get(hand.reason_id)
        if listed is None or listed.pipeline_id != item.pipeline_id:
            raise LostReasonRefused(ReasonProblem.UNKNOWN)
        return listed.name
    if hand.reason is None:
        raise LostReasonNeeded(item, target, source)
    return clean_reason(hand.reason, MAX_REASON)


def clean_reason(text: str, limit: int) -> str:
    reason = one_line(text)
    if not reason:
        raise LostReasonRefused(ReasonProblem.EMPTY)
    if len(reason) > limit:
        raise LostReasonRefused(ReasonProblem.TOO_LONG, limit)
    return reason


class ClosingService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    async def offered(self, pipeline_id: int) -> list[LostReason]:
        """The reasons to offer when an item of the pipeline is lost."""
        async with self._uow(write=False) as uow:
            return await uow.extension(LostReasonRepo).for_pipeline(pipeline_id)

    async def reasons(self, actor: Staff, pipeline_id: int
                      ) -> tuple[Pipeline, list[LostReason]]:
        """A pipeline and its reasons, for someone who may change them."""
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            pipeline = await _pipeline(uow, pipeline_id)
            return pipeline, await uow.extension(LostReasonRepo).for_pipeline(pipeline_id)

    async def add(self, actor: Staff, pipeline_id: int, name: str) -> LostReason:
        require_settings_right(actor)
        reason = clean_reason(name, MAX_LISTED)
        async with self._uow() as uow:
            await _pipeline(uow, pipeline_id)
            repo = uow.extension(LostReasonRepo)
            listed = await repo.for_pipeline(pipeline_id)
            if reason.casefold() in {translate(r.name, language).casefold()
                                     for r in listed for language in LANGUAGES}:
                raise LostReasonRefused(ReasonProblem.TAKEN)
            if len(listed) >= MAX_REASONS:
                raise LostReasonRefused(ReasonProblem.TOO_MANY, MAX_REASONS)
            added = await repo.add(pipeline_id, reason)
            await uow.commit()
        return added

    async def remove(self, actor: Staff, reason_id: int) -> LostReason:
        """Takes a reason off its list; items lost for it keep it."""
        require_settings_right(actor)
        async with self._uow() as uow:
            repo = uow.extension(LostReasonRepo)
            reason = await repo.get(reason_id)
            if reason is None:
                raise LostReasonRefused(ReasonProblem.UNKNOWN)
            await repo.delete(reason_id)
            await uow.commit()
        return reason


async def _pipeline(uow: UnitOfWork, pipeline_id: int) -> Pipeline:
    pipeline = await uow.catalog.get_pipeline(pipeline_id)
    if pipeline is None:
        raise NotFound(what=Entity.PIPELINE, ref=pipeline_id)
    return pipeline
