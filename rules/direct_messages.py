"""Messages to staff that belong to no rule run (activity reminders, the morning digest):
queued in the same outbox, with a dedupe key of their own so that they go out once."""

from __future__ import annotations

from datetime import datetime

from crm.i18n import language_or
from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWork
from rules.engine.effects import button_rows
from rules.model import OutboxRow, OutboxState
from rules.ports import Button
from rules.storage.unit import repos


async def queue_to_staff(uow: UnitOfWork, dedupe_key: str, staff: Staff, text: str,
                         buttons: list[list[Button]], now: datetime) -> bool:
    """False when a message with this key was queued before (nothing is added)."""
    return await repos(uow).outbox.add(OutboxRow(
        id=0, run_id=None, dedupe_key=dedupe_key, channel="telegram", chat_id=staff.user_id,
        kind="message", payload={"text": text, "buttons": button_rows(buttons),
                                 "role": "staff", "name": staff.name},
        state=OutboxState.PENDING, attempts=0, next_attempt_at=now, created_at=now))


def staff_language(staff: Staff, default: str) -> str:
    return language_or(staff.language, default)
