"""Planned calls, meetings and tasks attached to items."""

from __future__ import annotations

from datetime import datetime

from crm.access import can_see_item
from crm.clock import Clock
from crm.errors import (
    Action,
    AppError,
    Entity,
    InputProblem,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from crm.events import ActivityAdded, ActivityDone, ActivityRescheduled
from crm.models import Activity, Item, Staff
from crm.services.item_access import visible_item
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

ACTIVITY_KINDS = ("call", "meeting", "task")
MAX_SUBJECT = 200


class NotAhead(AppError):
    """A reminder or snooze for a moment that is not ahead of now (the caller says so)."""

    code = "not_ahead"

    def __init__(self, at: datetime) -> None:
        super().__init__(at=at)
        self.at = at


class ActivityService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def add(
        self, actor: Staff, item_id: int, kind: str, subject: str,
        deadline: datetime | None = None, assignee_id: int | None = None,
    ) -> Activity:
        async with self._uow() as uow:
            activity = await add_activity(uow, actor, item_id, kind, subject, deadline,
                                          assignee_id, self._clock.now())
            await uow.commit()
        return activity

    async def open_for_item(self, actor: Staff, item_id: int) -> list[Activity]:
        async with self._uow(write=False) as uow:
            await visible_item(uow, actor, item_id)
            return await uow.activities.open_for_item(item_id)

    async def mine(self, actor: Staff, limit: int = 50) -> list[Activity]:
        """The actor's open activities, the most urgent first."""
        async with self._uow(write=False) as uow:
            return await uow.activities.open_for_assignee(actor.user_id, limit)

    async def agenda(self, actor: Staff, limit: int = 30) -> list[tuple[Activity, Item]]:
        """The actor's open activities with their items, the most urgent first."""
        async with self._uow(write=False) as uow:
            found = []
            for activity in await uow.activities.open_for_assignee(actor.user_id, limit):
                item = await uow.items.get(activity.item_id, with_products=False)
                if item is not None:
                    found.append((activity, item))
            return found

    async def mark_done(self, actor: Staff, activity_id: int) -> Activity:
        """Marks it done; an activity done already is returned unchanged (a second press)."""
        async with self._uow() as uow:
            repo = uow.activities
            activity = await _own_activity(uow, actor, activity_id)
            if activity.done:
                return activity
            now = self._clock.now()
            await repo.mark_done(activity_id, now)
            await uow.publish(ActivityDone(activity.id, activity.item_id, actor.user_id, now))
            await uow.commit()
        activity.done, activity.done_at = True, now
        return activity

    async def remind(self, actor: Staff, item_id: int, subject: str, due: datetime
                     ) -> tuple[Activity, Item]:
        """A task by hand (/remind, the card's ⏰ button) for the actor, due at `due`, which
        must be ahead; its reminder goes out then."""
        now = self._clock.now()
        if due <= now:
            raise NotAhead(due)
        async with self._uow() as uow:
            activity = await add_activity(uow, actor, item_id, "task", subject, due,
                                          actor.user_id, now)
            item = await visible_item(uow, actor, item_id)
            await uow.commit()
        return activity, item

    async def snooze(self, actor: Staff, activity_id: int, until: datetime) -> Activity:
        """Moves an open activity's deadline to `until` (ahead) so that it reminds again
        then; one done already is returned unchanged (`done` tells the caller)."""
        now = self._clock.now()
        async with self._uow() as uow:
            activity = await _own_activity(uow, actor, activity_id)
            if activity.done:
                return activity
            if until <= now:
                raise NotAhead(until)
            await uow.activities.reschedule(activity_id, until)
            await uow.publish(ActivityRescheduled(activity.id, activity.item_id, until))
            await uow.commit()
        activity.deadline = until
        return activity

    async def get(self, actor: Staff, activity_id: int) -> Activity:
        """One activity the actor may act on (its assignee, or who sees its item)."""
        async with self._uow(write=False) as uow:
            return await _own_activity(uow, actor, activity_id)


async def _own_activity(uow: UnitOfWork, actor: Staff, activity_id: int) -> Activity:
    activity = await uow.activities.get(activity_id)
    if activity is None:
        raise NotFound(what=Entity.ACTIVITY, ref=activity_id)
    if activity.assignee_id != actor.user_id:
        item = await uow.items.get(activity.item_id, with_products=False)
        if item is None or not can_see_item(actor, item):
            raise PermissionDenied(action=Action.ACTIVITY)
    return activity


async def add_activity(
    uow: UnitOfWork, actor: Staff | None, item_id: int, kind: str, subject: str,
    deadline: datetime | None, assignee_id: int | None, now: datetime,
) -> Activity:
    """Adds an activity in `uow` at `now` (rule kinds add at their run's moment). Without an
    assignee the item's responsible person gets it, else the actor. `actor` None: the
    automation."""
    subject = one_line(subject)
    if kind not in ACTIVITY_KINDS:
        raise InvalidInput(field="kind", value=kind)
    if not subject or len(subject) > MAX_SUBJECT:
        raise InvalidInput(field="subject", value=subject)
    if deadline is not None and deadline.tzinfo is None:
        raise InvalidInput(field="deadline", value=deadline.isoformat(),
                           problem=InputProblem.NO_TIMEZONE)
    item = await visible_item(uow, actor, item_id)
    assignee = assignee_id or item.responsible_id or (actor.user_id if actor else None)
    if assignee is not None:
        staff = await uow.staff.get(assignee)
        if staff is None or not staff.active:
            raise NotFound(what=Entity.STAFF, ref=assignee)
    activity = Activity(
        id=0, item_id=item.id, kind=kind, subject=subject, deadline=deadline,
        assignee_id=assignee, done=False, done_at=None, created_at=now,
    )
    await uow.activities.add(activity)
    await uow.publish(ActivityAdded(activity.id, item.id, assignee, deadline))  # reminders
    return activity
