"""Runs waiting for a person's working time follow changes: their hours or absences set
after the run was planned, or another person made responsible. Each such run keeps the
moment it had before going into the person's hours (`hours_base`, put_on_clock) and is put
into the calendar that now applies, from there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from crm.events import ResponsibleChanged
from crm.storage.dialect import Dialect
from crm.storage.unit_of_work import UnitOfWork
from rules.model import RunState
from rules.staff_hours.calendar import responsible_calendar
from rules.storage.unit import repos
from rules.timing import WorkingHours


def _waiting(dialect: Dialect) -> str:
    """The waiting runs timed in working hours, of items still to be narrowed down."""
    return ("SELECT r.id FROM rule_runs r JOIN items i ON i.id = r.item_id"
            f" WHERE r.state = 'waiting' AND {dialect.json_text('r.result', 'hours_base')}"
            " IS NOT NULL")


async def replan(uow: UnitOfWork, company: WorkingHours, now: datetime, *,
                 responsible_id: int | None = None, item_id: int | None = None) -> int:
    """Puts the waiting runs of the person's items (or of one item) into the calendar that
    applies now; returns how many runs changed."""
    if item_id is not None:
        rows = await uow.conn.execute_fetchall(_waiting(uow.conn.dialect) + " AND i.id = ?",
                                               (item_id,))
    else:
        rows = await uow.conn.execute_fetchall(
            _waiting(uow.conn.dialect) + " AND i.responsible_id = ?", (responsible_id,))
    runs = await repos(uow).runs.get_many([int(row[0]) for row in rows])
    changed = []
    for run in runs:
        item = await uow.items.get(run.item_id, with_products=False)
        if item is None:
            continue
        person = await responsible_calendar(uow, item.responsible_id, company, now)
        base = datetime.fromisoformat(str(run.result["hours_base"]))
        due = (person or company).next_working_moment(base)
        name = person.name if person is not None else None
        if due == run.due_at and name == run.result.get("hours_of"):
            continue
        run.due_at = due
        run.state = RunState.PENDING if due <= now else RunState.WAITING
        run.result = {k: v for k, v in run.result.items() if k != "hours_of"}
        if name is not None:
            run.result["hours_of"] = name
        changed.append(run)
    await repos(uow).runs.save_many(changed)
    return len(changed)


class ResponsibleReplanner:
    """A new responsible person: the item's runs wait for their working time instead."""

    def __init__(self, company: WorkingHours, wake: Callable[[], None]) -> None:
        self._company = company
        self._wake = wake

    async def on_responsible_changed(self, event: ResponsibleChanged, uow: UnitOfWork
                                     ) -> None:
        if await replan(uow, self._company, event.at, item_id=event.item_id):
            uow.after_commit(self._wake)
