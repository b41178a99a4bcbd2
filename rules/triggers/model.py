"""Triggers and client buttons as data."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any


class TriggerEvent(enum.StrEnum):
    CLIENT_MESSAGE = "client_message"  # the client wrote to the bot about an item they have
    WEBHOOK = "webhook"  # an outside system called the trigger's signed URL
    ACTIVITY_DONE = "activity_done"  # an activity of the item was marked done
    FIELD_CHANGED = "field_changed"  # a field got another value (optionally: this value)
    RESPONSIBLE_CHANGED = "responsible_changed"  # someone else became responsible


@dataclass(slots=True)
class Trigger:
    id: int
    stage_id: int
    event: TriggerEvent
    backwards: bool = False  # may move an item to an earlier stage
    created_by: int | None = None
    created_at: datetime | None = None
    # FIELD_CHANGED: the field (as item_edits names it) and, optionally, the value it must
    # change to (as stored: parse_value's form).
    field: str | None = None
    value: str | None = None
    # Checked against the item when the event happens: false, and the trigger does nothing.
    condition: dict[str, Any] | None = None

    def matches_change(self, field: str, new: str | None) -> bool:
        """Whether a change of `field` to `new` is this trigger's (FIELD_CHANGED)."""
        if self.field != field:
            return False
        return self.value is None or (new is not None and new.casefold() == self.value.casefold())


@dataclass(slots=True)
class ClientButton:
    """A button a rule's message gave the client: pressing it moves the item to `stage_id`."""

    token: int
    item_id: int
    chat_id: int
    stage_id: int
    label: str
    backwards: bool = False
    run_id: int | None = None
    created_at: datetime | None = None
    pressed_at: datetime | None = None
    entry_id: int | None = None  # the stage entry the offer was made in
    offer: int | None = None  # shared by the buttons of one message: one of them acts
