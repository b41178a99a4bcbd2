"""A dialog step counts when its update's handling has ended.

What a handler does to dialogs (aiogram's state and data) is held back while the update is
handled (the handler itself reads it back) and saved once the handler has returned, its
reply sent — together with the record that the update was handled (see
crm/storage/dialogs.py):
- killed before its reply, the step is not saved and not recorded: the re-delivered update
  finds the dialog where it was and asks again;
- handled, the re-delivery after a restart (an update Telegram was not yet told of) is
  dropped, rather than taken as the answer to the step the dialog has moved on to;
- a handler that fails leaves the dialog where it was.
A step that changes the CRM saves what it held back in the same transaction (the one that
records the update), and what follows at once: "deal created" and "dialog over" are saved
together. Writes outside the handling of an update (work a handler left running) go at
once.
"""

from __future__ import annotations

import copy
import json
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from aiogram import BaseMiddleware
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey
from aiogram.types import TelegramObject

from crm.storage.connection import Connection
from crm.storage.dialogs import encode
from crm.storage.handled_updates import update_being_handled


@dataclass(slots=True)
class Step:
    """What an update did to one dialog: a new state (`sets_state`), new data (not None)."""

    sets_state: bool = False
    state: str | None = None
    data: dict[str, Any] | None = None


Steps = dict[StorageKey, Step]


class StepStore(BaseStorage):
    """Where dialogs are kept; `save_steps` saves an update's steps and records the update
    as handled (if one is being handled)."""

    @abstractmethod
    async def save_steps(self, steps: Steps) -> None: ...

    async def save_steps_in(self, conn: Connection, steps: Steps) -> bool:
        """Saves them in the transaction of `conn`, if this store can: True if it did."""
        return False

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self.save_steps({key: Step(True, state.state if isinstance(state, State)
                                         else state)})

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        await self.save_steps({key: Step(data=dict(data))})


@dataclass(slots=True)
class _Held:
    steps: Steps = field(default_factory=dict)
    open: bool = True


_held: ContextVar[_Held | None] = ContextVar("dialog_steps_held", default=None)


def _open() -> _Held | None:
    """What the update being handled holds back (reads see it)."""
    held = _held.get()
    return held if held is not None and held.open else None


def _holding() -> _Held | None:
    """The same, while writes are held back: until the update is recorded as handled."""
    held = _open()
    update = update_being_handled()
    return None if update is not None and update.recorded else held


class HeldSteps(BaseStorage):
    """The Dispatcher's storage: `store` behind it, each update's steps held back."""

    def __init__(self, store: StepStore) -> None:
        self.store = store

    async def get_state(self, key: StorageKey) -> str | None:
        held = _open()
        step = held.steps.get(key) if held is not None else None
        if step is not None and step.sets_state:
            return step.state
        return await self.store.get_state(key)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        held = _open()
        step = held.steps.get(key) if held is not None else None
        if step is not None and step.data is not None:
            return copy.deepcopy(step.data)
        return await self.store.get_data(key)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        await self._note(key, Step(True, state.state if isinstance(state, State) else state))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            raise DataNotDictLikeError(
                f"Data must be a dict or dict-like object, got {type(data).__name__}")
        # JSON now, where a wrong value is put in, not when the step is saved; and a copy
        # of its own (the handler may go on changing the dict it passed).
        await self._note(key, Step(data=json.loads(encode(data))))

    async def _note(self, key: StorageKey, step: Step) -> None:
        held = _holding()
        if held is not None:
            _merge(held.steps, key, step)
            return
        steps = take_held()  # a step that changed the CRM: what it held back goes too
        _merge(steps, key, step)
        await self.store.save_steps(steps)

    async def close(self) -> None:
        await self.store.close()


def take_held() -> Steps:
    """The steps held back so far (held no more)."""
    held = _open()
    if held is None:
        return {}
    steps, held.steps = held.steps, {}
    return steps


def _merge(steps: Steps, key: StorageKey, step: Step) -> None:
    known = steps.setdefault(key, Step())
    if step.sets_state:
        known.sets_state, known.state = True, step.state
    if step.data is not None:
        known.data = step.data


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class StepsOfUpdate(BaseMiddleware):
    """Holds an update's dialog steps back until its handler has returned, then saves them
    (inside ArrivalMiddleware: the save records the update as handled)."""

    def __init__(self, storage: HeldSteps) -> None:
        self._storage = storage

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        held = _Held()
        token = _held.set(held)
        update = update_being_handled()
        if update is not None:  # a change to the CRM takes the steps so far along
            update.recorded_with.append(partial(self._with_record, held))
        try:
            result = await handler(event, data)
            steps = take_held()
        finally:
            held.open = False  # work the handler left running writes at once
            _held.reset(token)
        if steps:
            await self._storage.store.save_steps(steps)
        return result

    async def _with_record(self, held: _Held, conn: Connection) -> None:
        if held.open and held.steps and await self._storage.store.save_steps_in(conn,
                                                                                held.steps):
            held.steps = {}
