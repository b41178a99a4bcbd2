"""Domain events raised inside a unit of work's transaction.

Subscribers run *inside* the transaction that raised the event and receive its unit of
work, so they can write their own rows atomically with the change (the rules engine
creates its runs this way). Work that must wait for the commit goes to
`uow.after_commit`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class ItemEnteredStage:
    """An item entered a stage: by creation (from_stage_id is None) or by a move."""

    item_id: int
    type_code: str
    pipeline_id: int
    from_stage_id: int | None
    to_stage_id: int
    by_user_id: int | None
    at: datetime
    # Set when automation moved the item, so the engine can stop a rule loop.
    cause: str | None = None


@dataclass(frozen=True, slots=True)
class ClientWrote:
    """A client's message was filed on an item. `opened`: the message opened the item."""

    item_id: int
    contact_id: int
    opened: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class ActivityAdded:
    activity_id: int
    item_id: int
    assignee_id: int | None
    deadline: datetime | None


@dataclass(frozen=True, slots=True)
class ActivityDone:
    activity_id: int
    item_id: int
    by_user_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class ActivityRescheduled:
    """An open activity got a new deadline (snoozed): it reminds again then."""

    activity_id: int
    item_id: int
    deadline: datetime


@dataclass(frozen=True, slots=True)
class ResponsibleChanged:
    """Someone else became responsible for an item: by hand (`by_user_id`) or by automation
    (None). Not raised when the responsible person stays the same."""

    item_id: int
    title: str
    responsible_id: int
    previous_id: int | None
    by_user_id: int | None
    at: datetime
    version: int = 0  # the item's version the change was made on: one event per version


@dataclass(frozen=True, slots=True)
class FieldChanged:
    """A field of an item got another value: by hand (`by_user_id`) or by automation (None).
    `field` as item_edits names it (title, amount, currency, probability, custom.<name>);
    the values as stored, None when empty. Not raised when the value stays the same."""

    item_id: int
    field: str
    old: str | None
    new: str | None
    by_user_id: int | None
    at: datetime


@dataclass(frozen=True, slots=True)
class StaffJoined:
    """A new team member joined with an invite."""

    user_id: int
    name: str
    role: str
    invited_by: int
    at: datetime


@dataclass(frozen=True, slots=True)
class ClientConnected:
    """A client opened their contact's start link (crm/services/clients.py connect_chat):
    messages can reach them now. `newly`: the chat was not connected to the contact before
    (opening the link again changes nothing)."""

    contact_id: int
    name: str
    chat_id: int
    at: datetime
    newly: bool


Handler = Callable[[Any, "UnitOfWork"], Awaitable[None]]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = defaultdict(list)

    def subscribe(self, event_type: type, handler: Handler) -> None:
        self._handlers[event_type].append(handler)

    async def publish(self, event: object, uow: UnitOfWork) -> None:
        for handler in self._handlers.get(type(event), ()):
            await handler(event, uow)
