"""The Telegram update whose effect a unit of work commits.

An update counts as handled only in the transaction that applies its effect: the first
writing unit of work that commits while the update is being handled records its id in that
same transaction. A crash before that commit leaves no record, so Telegram's re-delivery
applies the update then; a re-delivery after it finds the record and changes nothing. An
update that changes nothing (a list page) leaves no record at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from crm.storage.connection import Connection


@dataclass(slots=True)
class HandledUpdate:
    update_id: int
    arrived_at: datetime
    recorded: bool = False  # shared by every task the handling starts
    # Writes that belong in the transaction recording the update, each made once on its
    # connection: the dialog steps held back so far (bot/telegram/dialog_steps.py).
    recorded_with: list[Callable[[Connection], Awaitable[None]]] = field(
        default_factory=list)
    # The cached tables' versions as last read while handling it (see cache_versions.py):
    # a read of cached rows alone takes these instead of asking again a few milliseconds
    # later, the update being one moment (unit_of_work.py).
    versions: dict[str, int] | None = None


class UpdateAlreadyHandled(Exception):
    """A re-delivered update reached its first commit: its effect is already stored."""

    def __init__(self, update_id: int) -> None:
        super().__init__(f"update {update_id} was handled before")
        self.update_id = update_id


_current: ContextVar[HandledUpdate | None] = ContextVar("handled_update", default=None)


@contextmanager
def handling_update(update_id: int, arrived_at: datetime) -> Iterator[HandledUpdate]:
    """Units of work committed inside (and in tasks started inside) record the update."""
    mark = HandledUpdate(update_id, arrived_at)
    token = _current.set(mark)
    try:
        yield mark
    finally:
        _current.reset(token)


def update_being_handled() -> HandledUpdate | None:
    return _current.get()
