"""After-previous chains: when a run finishes, the run right after it in the stage entry
starts its clock if it was waiting for the previous rule."""

from __future__ import annotations

from datetime import datetime

from crm.storage.unit_of_work import UnitOfWork
from rules.config import EngineConfig
from rules.engine.due import put_on_clock
from rules.model import Execution, RuleRun, RunState
from rules.staff_hours.calendar import responsible_calendar
from rules.storage.unit import repos


async def release_next(uow: UnitOfWork, finished: RuleRun, now: datetime,
                       config: EngineConfig) -> RuleRun | None:
    """Starts the clock of the run after `finished`; returns it when it was released."""
    runs = await repos(uow).runs.for_entry(finished.entry_id)
    after = [r for r in runs if r.position > finished.position]
    if not after:
        return None
    following = after[0]
    if following.execution is not Execution.AFTER_PREVIOUS:
        return None
    if following.state is not RunState.WAITING_PREVIOUS:
        return None
    await start_clock(uow, following, now, config)
    return following


async def start_clock(uow: UnitOfWork, run: RuleRun, start: datetime,
                      config: EngineConfig) -> None:
    """Computes the due time of a run from its rule's timing and saves it."""
    rule = await repos(uow).rules.get(run.rule_id) if run.rule_id else None
    item = await uow.items.get(run.item_id, with_products=False)
    if rule is None or item is None:
        run.state, run.due_at = RunState.PENDING, start  # the executor explains what is gone
    else:
        person = await responsible_calendar(uow, item.responsible_id, config.working_hours,
                                            start) if rule.timing.responsible_hours else None
        put_on_clock(run, rule.timing, start, item, config.working_hours, start, person)
    await repos(uow).runs.save(run)
    if run.state.is_finished:
        await release_next(uow, run, start, config)
