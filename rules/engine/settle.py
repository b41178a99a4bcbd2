"""A run whose messages are in the outbox finishes when they are delivered (done) or when
Telegram refuses one for good (failed, with the reason)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crm.storage.unit_of_work import UnitOfWork
from rules.config import EngineConfig
from rules.engine.chain import release_next
from rules.engine.due import fail, finish
from rules.model import OutboxRow, OutboxState, RuleRun, RunState
from rules.reason_codes import Reason
from rules.storage.unit import repos


async def settle_run(uow: UnitOfWork, row: OutboxRow, now: datetime, config: EngineConfig,
                     failure: tuple[Reason, dict[str, Any]] | None = None) -> RuleRun | None:
    """Call after the row's new state is written; returns a run this released, if any."""
    if row.run_id is None:
        return None
    runs = repos(uow).runs
    run = await runs.get(row.run_id)
    if run is None or run.state is not RunState.RUNNING:
        return None
    if failure is not None:
        code, params = failure
        fail(run, code, params, now)
    else:
        rows = await repos(uow).outbox.for_run(run.id)
        if any(r.state is OutboxState.PENDING for r in rows):
            return None
        finish(run, RunState.DONE, now)
        sent = [r.sent_message_id for r in rows if r.sent_message_id]
        run.result = {**run.result, "message_ids": sent}
    await runs.save(run)
    return await release_next(uow, run, now, config)
