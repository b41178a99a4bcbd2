"""The ways a kind's effects happen: for real (rows in the outbox, in the run's
transaction), recorded while a run is prepared outside any transaction (written when it is
applied), or in test mode (recorded for the tester, nothing leaves the building)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from crm.storage.unit_of_work import UnitOfWork
from rules.kinds.base import Recipient
from rules.model import OutboxRow, OutboxState
from rules.ports import Button
from rules.storage.unit import repos


def button_rows(buttons: list[list[Button]] | None) -> list[list[dict[str, Any]]]:
    return [[_button(b) for b in row] for row in buttons or []]


def _button(button: Button) -> dict[str, Any]:
    """The button as the transport reads it; the optional kinds only when they are used."""
    data = asdict(button)
    for optional in ("activity_id", "client_token", "snooze"):
        if data[optional] is None:
            del data[optional]
    return data


def message_payload(recipient: Recipient, text: str,
                    buttons: list[list[Button]] | None) -> dict[str, Any]:
    return {"text": text, "buttons": button_rows(buttons), "role": recipient.role,
            "name": recipient.name}


@dataclass(frozen=True, slots=True)
class Queued:
    channel: str
    kind: str
    chat_id: int | None
    payload: dict[str, Any]


@dataclass(slots=True)
class RecordingEffects:
    """A run being prepared: what it would queue, and the data changes it would make (their
    descriptions only: a kind that changes data is executed again when it is applied)."""

    queued: list[Queued] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    async def send_message(self, recipient: Recipient, text: str,
                           buttons: list[list[Button]] | None = None) -> None:
        self.queued.append(Queued("telegram", "message", recipient.chat_id,
                                  message_payload(recipient, text, buttons)))

    async def queue(self, channel: str, kind: str, chat_id: int | None,
                    payload: dict[str, Any], *, describe: str = "") -> None:
        self.queued.append(Queued(channel, kind, chat_id, payload))

    async def apply(self, describe: str, change: Callable[[], Awaitable[object]]) -> None:
        self.changes.append(describe)


class OutboxEffects:
    """Queues what the run sends. Dedupe keys are `run:<id>:<n>`: executing a run twice
    (it cannot, but if) would queue nothing twice."""

    def __init__(self, uow: UnitOfWork, run_id: int, now: datetime) -> None:
        self._outbox = repos(uow).outbox
        self._run_id = run_id
        self._now = now
        self.queued = 0
        self.changed = False  # the run changed CRM data (the next rules must re-read it)
        self.key_prefix = f"run:{run_id}"

    async def send_message(self, recipient: Recipient, text: str,
                           buttons: list[list[Button]] | None = None) -> None:
        await self.queue("telegram", "message", recipient.chat_id,
                         message_payload(recipient, text, buttons))

    async def queue(self, channel: str, kind: str, chat_id: int | None,
                    payload: dict[str, Any], *, describe: str = "") -> None:
        await self._outbox.add(self.row(Queued(channel, kind, chat_id, payload)))

    def row(self, queued: Queued) -> OutboxRow:
        """The next outbox row of this run (counted, not written)."""
        self.queued += 1
        return OutboxRow(
            id=0, run_id=self._run_id or None, dedupe_key=f"{self.key_prefix}:{self.queued}",
            channel=queued.channel, chat_id=queued.chat_id, kind=queued.kind,
            payload=queued.payload, state=OutboxState.PENDING, attempts=0,
            next_attempt_at=self._now, created_at=self._now)

    async def apply(self, describe: str, change: Callable[[], Awaitable[object]]) -> None:
        self.changed = True
        await change()


@dataclass(slots=True)
class Preview:
    """One thing a rule would do, for test mode."""

    action: str  # message, ...
    recipient: str
    role: str
    chat_id: int | None
    text: str
    language: str
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)  # what the outbox would get


class PreviewEffects:
    def __init__(self) -> None:
        self.previews: list[Preview] = []

    async def queue(self, channel: str, kind: str, chat_id: int | None,
                    payload: dict[str, Any], *, describe: str) -> None:
        self.previews.append(Preview(kind, describe, channel, chat_id, "", "",
                                     payload=payload))

    async def apply(self, describe: str, change: Callable[[], Awaitable[object]]) -> None:
        self.previews.append(Preview("change", describe, "data", None, "", ""))

    async def send_message(self, recipient: Recipient, text: str,
                           buttons: list[list[Button]] | None = None) -> None:
        self.previews.append(Preview("message", recipient.name, recipient.role,
                                     recipient.chat_id, text, recipient.language,
                                     button_rows(buttons)))
