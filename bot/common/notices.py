"""What the bot tells staff on its own (a new inquiry, an assignment, a join…) goes through
the outbox: queued in the transaction of the change it tells of, so a failed send or a
crash only delays it, and sent in the recipient's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aiogram.utils.i18n import I18n

from crm.clock import Clock
from crm.storage.unit_of_work import UnitOfWork
from rules.model import OutboxRow, OutboxState
from rules.storage.unit import repos


class OutboxNotices:
    """Base of the features' notices: subclasses subscribe to domain events in `install`
    and queue their messages with `queue`."""

    def __init__(self, i18n: I18n, default_language: str, clock: Clock,
                 wake: Callable[[], None]) -> None:
        self._i18n = i18n
        self._default = default_language
        self._clock = clock
        self._wake = wake

    @contextmanager
    def speaking(self, language: str | None) -> Iterator[None]:
        """Texts made inside are in `language` (else the bot's default language)."""
        with self._i18n.context(), self._i18n.use_locale(language or self._default):
            yield

    async def queue(self, uow: UnitOfWork, key: str, chat_id: int,
                    payload: dict[str, Any], kind: str = "message") -> None:
        """Queued once per `key`; the outbox worker is woken after the commit."""
        now = self._clock.now()
        await repos(uow).outbox.add(OutboxRow(
            id=0, run_id=None, dedupe_key=key, chat_id=chat_id, kind=kind, payload=payload,
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now, created_at=now))
        uow.after_commit(self._wake)
