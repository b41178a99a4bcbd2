"""What automation did, is doing and will do for one item: every rule of its current stage
with its state, and the runs of the stages before."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.models import Item, Staff, Stage
from crm.services.card_item import CardItem
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import evaluate
from rules.context import load_subject
from rules.errors import ConditionError
from rules.model import AutomationStop, OutboxState, Rule, RuleRun, RunState
from rules.reason_codes import Reason
from rules.storage.unit import repos


class Shown(enum.StrEnum):
    EXECUTED = "executed"
    FAILED = "failed"
    QUEUED = "queued"  # due now: the worker is about to run it
    WAITING = "waiting"  # until `at`
    WAITING_PREVIOUS = "waiting_previous"
    WAITING_TELEGRAM = "waiting_telegram"  # Telegram asked to wait until `at`
    SENDING = "sending"
    NOT_TRIGGERED = "not_triggered"  # condition false (checks say why)
    DISABLED = "disabled"
    STOPPED = "stopped"
    CANCELLED = "cancelled"
    NOT_PLANNED = "not_planned"  # added after the item entered the stage


_SHOWN = {
    RunState.DONE: Shown.EXECUTED, RunState.FAILED: Shown.FAILED,
    RunState.PENDING: Shown.QUEUED, RunState.WAITING: Shown.WAITING,
    RunState.WAITING_PREVIOUS: Shown.WAITING_PREVIOUS, RunState.RUNNING: Shown.SENDING,
    RunState.STOPPED: Shown.STOPPED, RunState.CANCELLED: Shown.CANCELLED,
}


@dataclass(slots=True)
class RuleStatus:
    title: str
    kind: str
    shown: Shown
    at: datetime | None = None
    reason: Reason | None = None
    params: dict[str, Any] = field(default_factory=dict)
    checks: list[dict[str, Any]] = field(default_factory=list)
    late: bool = False
    rule_id: int | None = None
    # The stored reason when no Reason names it (written by an older version): shown as is.
    unknown_reason: str | None = None
    # A wait for the client's reply or a condition (rules.kinds.wait_for): "reply" or
    # "condition" (its text in the rules files' English); `at` is then its time-out.
    waits_for: str | None = None
    wait_condition: str | None = None
    # A finished wait: what let the rules after it go on (reply, condition or timeout).
    released: str | None = None
    # Due in this person's working hours (the rule's timing asks for the responsible's).
    hours_of: str | None = None


@dataclass(slots=True)
class StageRuns:
    stage_id: int
    entered_at: datetime | None
    rules: list[RuleStatus]


@dataclass(slots=True)
class ItemStatus:
    item_id: int
    stage: Stage
    current: list[RuleStatus]
    earlier: list[StageRuns]
    stop: AutomationStop | None = None


@dataclass(frozen=True, slots=True)
class Brief:
    """What the rules of the item's current stage did or scheduled, in numbers."""

    item_id: int
    counts: dict[RunState, int]
    next_due: datetime | None
    # Of the pending runs (about to run), those whose condition is false on the item as it is
    # now: the engine will skip them.
    to_skip: int = 0

    def count(self, *states: RunState) -> int:
        return sum(self.counts.get(state, 0) for state in states)


def card_brief(zone: ZoneInfo) -> Callable[[UnitOfWork, CardItem], Awaitable[Brief]]:
    """The card extra: what the current stage's rules did or scheduled — one query, and
    for rules about to run (a card read right after a move) their conditions, checked as
    the engine will check them."""
    async def brief(uow: UnitOfWork, card: CardItem) -> Brief:
        counts, next_due = await repos(uow).runs.current_counts(card.id)
        to_skip = (await _to_skip(uow, await card.item(), zone)
                   if counts.get(RunState.PENDING) else 0)
        return Brief(card.id, counts, next_due, to_skip)
    return brief


async def _to_skip(uow: UnitOfWork, item: Item, zone: ZoneInfo) -> int:
    store = repos(uow)
    entry = await store.runs.latest_entry(item.id)
    if entry is None:
        return 0
    pending = [r.rule_id for r in await store.runs.open_for_entry(entry.id)
               if r.state is RunState.PENDING and r.rule_id is not None]
    rules = list((await store.rules.by_ids(pending) if pending else {}).values())
    skipped = sum(not rule.enabled for rule in rules)  # disabled since it was planned
    conditions = [rule.condition for rule in rules if rule.enabled and rule.condition]
    if not conditions:
        return skipped
    subject = await load_subject(uow, item, entry.from_stage_id)
    for condition in conditions:
        with suppress(ConditionError):  # the run fails on it: about to run, /status tells
            skipped += not evaluate(condition, subject, zone).passed
    return skipped


async def failed_items(uow: UnitOfWork, item_ids: list[int]) -> set[int]:
    """Which of the items' automation failed in their current stage (the board's mark)."""
    return await repos(uow).runs.failed_in_current(item_ids)


class StatusService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def status(self, actor: Staff | None, item_id: int, earlier_limit: int = 3
                     ) -> ItemStatus:
        async with self._uow(write=False) as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            if actor is not None:
                require_item_access(actor, item)
            stage = await uow.catalog.get_stage(item.stage_id)
            runs_repo = repos(uow).runs
            entry = await runs_repo.latest_entry(item_id)
            assert stage is not None and entry is not None  # every item has both
            runs = await runs_repo.for_item(item_id)
            mine = [r for r in runs if r.entry_id == entry.id]
            current = await self._current(uow, await repos(uow).rules.for_stage(stage.id), mine)
            earlier: dict[int, StageRuns] = {}
            for run in reversed([r for r in runs if r.entry_id != entry.id]):
                group = earlier.setdefault(run.entry_id, StageRuns(run.stage_id, None, []))
                group.rules.insert(0, await self._shown(uow, run))
            return ItemStatus(item_id, stage, current, list(earlier.values())[:earlier_limit],
                              await runs_repo.stop_of(entry.id))

    async def _current(self, uow: UnitOfWork, rules: list[Rule], runs: list[RuleRun]
                       ) -> list[RuleStatus]:
        by_rule = {r.rule_id: r for r in runs}
        shown = []
        for rule in rules:
            run = by_rule.pop(rule.id, None)
            if run is not None:
                status = await self._shown(uow, run)
            elif not rule.enabled:
                status = RuleStatus(rule.title, rule.kind, Shown.DISABLED)
            else:
                status = RuleStatus(rule.title, rule.kind, Shown.NOT_PLANNED)
            status.rule_id = rule.id
            shown.append(status)
        shown.extend([await self._shown(uow, r) for r in by_rule.values()])  # deleted rules
        return shown

    async def _shown(self, uow: UnitOfWork, run: RuleRun) -> RuleStatus:
        state = Shown.NOT_TRIGGERED if run.state is RunState.SKIPPED else _SHOWN[run.state]
        reason = Reason.read(run.reason_code)
        if run.state is RunState.SKIPPED and reason is Reason.DISABLED:
            state = Shown.DISABLED
        at = run.finished_at if run.state.is_finished else run.due_at
        status = RuleStatus(run.rule_title, run.rule_kind, state, at, reason,
                            run.reason_params, run.result.get("checks", []), run.late,
                            run.rule_id, None if reason else run.reason_code)
        if run.state is RunState.WAITING and isinstance(run.result.get("hours_of"), str):
            status.hours_of = run.result["hours_of"]
        if run.state is RunState.RUNNING:
            await self._telegram_wait(uow, run, status)
        if run.state is RunState.WAITING and "since" in run.result:
            _started_wait(run, status)
        elif run.state is RunState.DONE and "released" in run.result:
            status.released = str(run.result["released"])
        return status

    async def _telegram_wait(self, uow: UnitOfWork, run: RuleRun, status: RuleStatus) -> None:
        now = self._clock.now()
        for row in await repos(uow).outbox.for_run(run.id):
            if row.state is OutboxState.PENDING and row.retry_after_until and \
                    row.retry_after_until > now:
                status.shown, status.at = Shown.WAITING_TELEGRAM, row.retry_after_until
            elif row.state is OutboxState.PENDING and row.next_attempt_at > now:
                status.at = row.next_attempt_at  # retrying after a network error


def _started_wait(run: RuleRun, status: RuleStatus) -> None:
    """A wait that has started shows what it waits for and its time-out, not its next check."""
    until = run.result.get("until")
    status.shown = Shown.WAITING
    status.waits_for = str(run.result.get("waits_for") or "reply")
    status.wait_condition = run.result.get("condition")
    status.at = datetime.fromisoformat(until) if isinstance(until, str) else status.at
