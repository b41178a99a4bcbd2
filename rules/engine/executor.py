"""Executes due runs in two steps, so that nothing slow happens inside a transaction.

Prepare (rules/engine/prepare.py): short reads, then each run's condition and kind —
templates rendered with no transaction and no lock held — against recording effects.
Apply: one short write transaction per batch re-checks every run at fire time (still due,
the item still in the stage entry the run belongs to, automation not stopped, the rule as
prepared) and writes what was prepared: outbox rows and run states in one statement each.
A run whose kind changes CRM data is executed again there, in order, in a savepoint of its
own, with the renders it prepared; the runs after it of the same item wait for the next
round, so they see the item as it is then. Only such runs take a savepoint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.conditions import evaluate
from rules.config import EngineConfig
from rules.context import load_subject
from rules.engine.chain import release_next
from rules.engine.due import fail, finish, hold
from rules.engine.effects import OutboxEffects
from rules.engine.prepare import Prepared, Preparer, attempt, due
from rules.engine.render_memo import Mode, RenderMemo, Unprepared
from rules.errors import ConditionError
from rules.kinds import CATALOGUE
from rules.model import OutboxRow, Rule, RuleRun, RunState, StageEntry
from rules.reason_codes import Reason
from rules.rendering import Renderer
from rules.storage.unit import AutomationRepos, repos

MISSES = 2  # a run prepared again this often is applied with renders inside the transaction


@dataclass(frozen=True, slots=True)
class Executed:
    run_id: int
    state: RunState
    queued: int  # outbox rows written


@dataclass(slots=True)
class _Writes:
    """Outbox rows and run states of the batch, written in one statement each."""

    store: AutomationRepos
    rows: list[OutboxRow] = field(default_factory=list)
    runs: list[RuleRun] = field(default_factory=list)

    async def flush(self) -> None:
        await self.store.outbox.add_many(self.rows)
        await self.store.runs.save_many(self.runs)
        self.rows, self.runs = [], []


@dataclass(slots=True)
class _Fresh:
    """What the apply step reads again at fire time."""

    runs: dict[int, RuleRun]
    entries: dict[int, tuple[StageEntry, str | None]]
    rules: dict[int, Rule]
    connected: set[int]  # items whose client connected since a run of theirs was prepared


class RunExecutor:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, renderer: Renderer,
                 config: EngineConfig) -> None:
        self._uow = uow
        self._clock = clock
        self._config = config
        self._zone = ZoneInfo(config.timezone)
        # Runs of an earlier process that fell due before this engine was built fell due
        # while the bot was down: late, however soon after their due time they run now.
        self._prepare = Preparer(uow, renderer, config, clock.now())

    async def execute(self, run_ids: list[int]) -> list[Executed]:
        """Executes the runs that are still due; a run that was not due (any more) is left
        alone — someone else took care of it."""
        done: list[Executed] = []
        misses: dict[int, int] = {}
        pending = list(run_ids)
        while pending:
            now, memo = self._clock.now(), RenderMemo()
            prepared = await self._prepare.prepare(pending, now, memo)
            this_round, later = _one_change_per_item(prepared)
            memo.mode = Mode.REPLAY
            executed, again = await self._apply(this_round, now, memo, misses)
            done.extend(executed)
            wait = {p.run.id for p in again + later}
            pending = [run_id for run_id in pending if run_id in wait]
        return done

    async def _apply(self, prepared: list[Prepared], now: datetime, memo: RenderMemo,
                     misses: dict[int, int]) -> tuple[list[Executed], list[Prepared]]:
        executed: list[Executed] = []
        again: list[Prepared] = []
        if not prepared:
            return executed, again
        async with self._uow() as uow:
            store = repos(uow)
            rule_ids = sorted({p.run.rule_id for p in prepared if p.run.rule_id is not None})
            fresh = _Fresh(
                {r.id: r for r in await store.runs.get_many([p.run.id for p in prepared])},
                await store.runs.current_entries_and_stops(
                    sorted({p.run.item_id for p in prepared})),
                await store.rules.by_ids(rule_ids) if rule_ids else {},
                await _connected_since(store, prepared))
            writes = _Writes(store)
            for p in prepared:
                current = fresh.runs.get(p.run.id)
                if current is None or not due(current, now):
                    continue  # someone else took care of it
                outcome = await self._apply_one(uow, p, current, fresh, now, memo, misses,
                                                writes)
                if outcome is None:
                    misses[p.run.id] = misses.get(p.run.id, 0) + 1
                    again.append(p)
                else:
                    executed.append(outcome)
            await writes.flush()
            await uow.commit()
        return executed, again

    async def _apply_one(self, uow: UnitOfWork, p: Prepared, current: RuleRun, fresh: _Fresh,
                         now: datetime, memo: RenderMemo, misses: dict[int, int],
                         writes: _Writes) -> Executed | None:
        """Applies one prepared run; None: it is to be prepared again."""
        entry, stopped_by = fresh.entries.get(current.item_id, (None, None))
        current.late = p.run.late
        if entry is None or entry.id != current.entry_id:
            finish(current, RunState.CANCELLED, now, Reason.LEFT_STAGE)
            return await self._finished(uow, current, now, writes)
        if stopped_by is not None:
            finish(current, RunState.STOPPED, now, Reason.STOPPED, {"name": stopped_by})
            return await self._finished(uow, current, now, writes)
        if p.rule is not None and fresh.rules.get(p.rule.id) != p.rule:
            return None  # the rule changed since: prepared again with it
        if current.item_id in fresh.connected and _unreached(p.run):
            return None  # the client opened their link since: prepared again, reaching them
        live = misses.get(p.run.id, 0) >= MISSES
        if p.changing or (p.waiting_render and live):
            await writes.flush()  # the runs before it first: it may move the item
            memo.mode = Mode.LIVE if live else Mode.REPLAY
            return await self._again(uow, p, entry, now, memo, writes)
        if p.waiting_render:
            return None
        run = p.run
        queued = 0
        if p.effects is not None:  # the kind ran; it only queues
            effects = OutboxEffects(uow, run.id, now)
            writes.rows.extend(effects.row(q) for q in p.effects.queued)
            queued = effects.queued
            run.result = {**run.result, **p.result}
            if queued == 0:
                finish(run, RunState.DONE, now)
        return await self._finished(uow, run, now, writes, queued)

    async def _again(self, uow: UnitOfWork, p: Prepared, entry: StageEntry, now: datetime,
                     memo: RenderMemo, writes: _Writes) -> Executed | None:
        """Executes a data-changing kind again, on the item as it is now, in a savepoint."""
        run, rule = p.run, p.rule
        assert rule is not None  # the kind ran, so the rule was there
        kind = CATALOGUE[rule.kind]
        item = await uow.items.get(run.item_id)
        assert item is not None  # its entry exists, so does the item
        subject = await load_subject(uow, item, entry.from_stage_id)
        try:
            passed = evaluate(rule.condition, subject, self._zone)
        except ConditionError as error:
            fail(run, Reason.BAD_PARAMS, {"detail": str(error.params.get("reason"))}, now)
            return await self._finished(uow, run, now, writes)
        if not passed.passed:
            finish(run, RunState.SKIPPED, now, Reason.CONDITION_FALSE)
            run.result = {"checks": passed.explanation()}
            return await self._finished(uow, run, now, writes)
        run.state, run.started_at = RunState.RUNNING, now
        effects = OutboxEffects(uow, run.id, now)
        ctx = self._prepare.context(uow, run, subject, now, effects, memo)
        try:
            ok = await attempt(kind, ctx, rule, run, now, savepoint=uow)
        except Unprepared:
            return None
        if ok:
            run.result = {**run.result, **ctx.result}
            if ctx.hold_until is not None:
                hold(run, ctx.hold_until, now)
            elif effects.queued == 0:
                finish(run, RunState.DONE, now)
        else:
            effects.queued = 0  # rolled back with the savepoint
        return await self._finished(uow, run, now, writes, effects.queued)

    async def _finished(self, uow: UnitOfWork, run: RuleRun, now: datetime, writes: _Writes,
                        queued: int = 0) -> Executed:
        if run.state.is_finished:
            await release_next(uow, run, now, self._config)
        writes.runs.append(run)
        return Executed(run.id, run.state, queued)


def _unreached(run: RuleRun) -> bool:
    return run.state is RunState.FAILED and run.reason_code == Reason.CLIENT_NOT_STARTED


async def _connected_since(store: AutomationRepos, prepared: list[Prepared]) -> set[int]:
    """The items of runs prepared as failing for a client with no chat whose client has one
    now (rare: read only when there are such runs)."""
    unreached = sorted({p.run.item_id for p in prepared if _unreached(p.run)})
    return await store.runs.clients_connected(unreached) if unreached else set()


def _one_change_per_item(prepared: list[Prepared]) -> tuple[list[Prepared], list[Prepared]]:
    """This round's runs and the later ones: after a run that changes its item's data (or
    might: it still waits for a render), that item's further runs wait for the next round,
    so they are prepared on the item as it is then."""
    now: list[Prepared] = []
    later: list[Prepared] = []
    blocked: set[int] = set()
    for p in prepared:
        if p.run.item_id in blocked:
            later.append(p)
            continue
        now.append(p)
        if p.changing or p.waiting_render:
            blocked.add(p.run.item_id)
    return now, later
