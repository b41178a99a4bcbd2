"""Open dialogs kept in the database (migration 025), for the bot's dialog storage
(bot/telegram/dialog_storage.py): a dialog survives a restart, and its next step may reach
another process on the same database.

The changes one Telegram update made to dialogs are saved in the transaction that records
the update as handled (handled_updates.py): their own (`save`), or that of the update's
change to the CRM (`save_in`). The update re-delivered after a restart (Telegram had not
heard it was confirmed) is then dropped, rather than taken as the answer to the step it
moved on to. When and why: bot/telegram/dialog_steps.py.

Dialogs are short; one nobody answered for KEEP is pruned, at most once an hour, beside a
write (no job needed, and every process keeps the table small the same way).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from crm.clock import Clock
from crm.models import DialogKey
from crm.storage.connection import Connection
from crm.storage.repos.dialogs import DialogRepo
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

KEEP = timedelta(days=30)
PRUNE_EVERY = 3600.0  # seconds between two prunings by one process


class DialogDataNotJson(TypeError):
    """A dialog's data must come back as it was stored: a JSON object of plain values."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        super().__init__(f"dialog data must be JSON (str keys; str, int, float, bool, None, "
                         f"list, dict values), got {data!r}")


def encode(data: Mapping[str, Any]) -> str:
    """The data as JSON; raises DialogDataNotJson for what JSON would not give back as it
    is (a date, a Decimal, a tuple, a key that is no string) rather than lose it quietly."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise DialogDataNotJson(data) from exc
    if json.loads(text) != dict(data):
        raise DialogDataNotJson(data)
    return text


@dataclass(slots=True)
class DialogChange:
    """What an update did to one dialog: a new step (`sets_state`; None ends the dialog)
    and/or new answers (`data`; None: unchanged)."""

    key: DialogKey
    sets_state: bool = False
    state: str | None = None
    data: dict[str, Any] | None = None


class DialogStates:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, keep: timedelta = KEEP) -> None:
        self._uow = uow
        self._clock = clock
        self._keep = keep
        self._next_prune = 0.0  # monotonic; the first save after start prunes

    async def get(self, key: DialogKey) -> tuple[str | None, dict[str, Any]]:
        """(step, answers); (None, {}) for a user in no dialog."""
        async with self._uow(write=False, atomic=False) as uow:
            return await self.read(uow, key)

    @staticmethod
    async def read(uow: UnitOfWork, key: DialogKey) -> tuple[str | None, dict[str, Any]]:
        """As `get`, in `uow` (a read that goes with others: UpdateInbox.arrive_with)."""
        state, data = await uow.extension(DialogRepo).get(key)
        loaded = json.loads(data)
        assert isinstance(loaded, dict)  # only encode() writes it
        return state, loaded

    async def save(self, changes: Sequence[DialogChange]) -> None:
        """In one transaction, which records the update being handled (if any)."""
        encoded = _encoded(changes)  # first: a refusal touches nothing
        async with self._uow() as uow:
            dialogs = uow.extension(DialogRepo)
            await self._write(dialogs, encoded)
            if time.monotonic() >= self._next_prune:
                self._next_prune = time.monotonic() + PRUNE_EVERY
                await dialogs.prune(self._clock.now() - self._keep)
            await uow.commit()

    async def save_in(self, conn: Connection, changes: Sequence[DialogChange]) -> None:
        """In the transaction of `conn` (the one recording the update that made them)."""
        await self._write(DialogRepo(conn), _encoded(changes))

    async def _write(self, dialogs: DialogRepo,
                     encoded: list[tuple[DialogChange, str | None]]) -> None:
        now = self._clock.now()
        for change, data in encoded:
            if change.sets_state:
                await dialogs.put_state(change.key, change.state, now)
            if data is not None:
                await dialogs.put_data(change.key, data, now)
            await dialogs.drop_if_empty(change.key)


def _encoded(changes: Sequence[DialogChange]) -> list[tuple[DialogChange, str | None]]:
    return [(c, None if c.data is None else encode(c.data)) for c in changes]
