"""Putting a run on the clock: pending (due now), waiting until its moment, or failed when
its moment cannot be computed (e.g. the date field it is relative to is empty)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from crm.models import Item
from rules.model import RuleRun, RunState, Timing
from rules.reason_codes import Reason
from rules.timing import Calendar, TimingProblem, WorkingHours, compute_due


def put_on_clock(run: RuleRun, timing: Timing, start: datetime, item: Item | None,
                 hours: WorkingHours, now: datetime, person: Calendar | None = None) -> None:
    """`start`: when the run may start (the stage entry, or the previous rule's finish);
    `item` may be None unless the timing is relative to one of its dates; `person`: the
    responsible person's calendar, for a timing in their working hours."""
    try:
        due = compute_due(timing, start, item, hours, person)
    except TimingProblem as problem:
        fail(run, problem.reason, problem.params, now)
        return
    run.due_at = due
    run.state = RunState.PENDING if due <= now else RunState.WAITING
    if timing.responsible_hours:
        # The moment before it went into the person's hours: when their hours, absences or
        # the person change, the run is put into the new calendar from here (replan.py).
        base = compute_due(timing.model_copy(update={"responsible_hours": False}), start,
                           item, hours)
        run.result["hours_base"] = base.isoformat()
        if person is not None:
            run.result["hours_of"] = person.name  # /status: "in the working hours of Anna"


def fail(run: RuleRun, code: Reason, params: Mapping[str, object], now: datetime) -> None:
    finish(run, RunState.FAILED, now, code, params)


def finish(run: RuleRun, state: RunState, now: datetime, code: Reason | None = None,
           params: Mapping[str, object] | None = None) -> None:
    run.state = state
    run.finished_at = now
    run.reason_code = code
    run.reason_params = dict(params or {})


def hold(run: RuleRun, until: datetime, now: datetime) -> None:
    """A run whose kind is not finished (a wait): executed again at `until`, or sooner when
    woken; not finished, so the rules after it keep waiting."""
    run.due_at = until
    run.state = RunState.PENDING if until <= now else RunState.WAITING
