"""Where dialogs (aiogram's FSM state and data) live: in the database by default
(crm/storage/dialogs.py), so an open dialog survives a restart and its next step may be
handled by another process; in Redis when REDIS_URL is set. Either way an update's steps
are saved when it has been handled (bot/telegram/dialog_steps.py).

Event isolation (a user's updates handled one after the other, each seeing the step the
one before left): with Redis, a lock in Redis, across every process that shares it; without,
a lock in this process only (aiogram's SimpleEventIsolation): several webhook workers on one
database may then handle two quick updates of one user at the same time, each on its own.
"""

from __future__ import annotations

from typing import Any

from aiogram.fsm.storage.base import (
    BaseEventIsolation,
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StorageKey,
)
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.telegram.arriving import arriving
from bot.telegram.dialog_steps import HeldSteps, Steps, StepStore
from crm.models import DialogKey
from crm.services.inbox import UpdateInbox
from crm.storage.connection import Connection
from crm.storage.dialogs import DialogChange, DialogStates
from crm.storage.handled_updates import update_being_handled
from crm.storage.unit_of_work import UnitOfWorkFactory


class DatabaseStorage(StepStore):
    """An update's steps and its record as handled: one transaction. The first read of an
    update (the FSM middleware's) reads its arrival too (bot/telegram/arriving.py)."""

    def __init__(self, dialogs: DialogStates, inbox: UpdateInbox | None = None) -> None:
        self._dialogs = dialogs
        self._inbox = inbox

    async def get_state(self, key: StorageKey) -> str | None:
        state, _data = await self._read(key)
        return state

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        _state, data = await self._read(key)
        return data

    async def _read(self, key: StorageKey) -> tuple[str | None, dict[str, Any]]:
        named = arriving()
        if named is None or named.arrival is not None or self._inbox is None:
            return await self._dialogs.get(dialog_key(key))
        named.arrival, found = await self._inbox.arrive_with(
            named.update_id, named.user_id,
            lambda uow: DialogStates.read(uow, dialog_key(key)))
        return found

    async def save_steps(self, steps: Steps) -> None:
        await self._dialogs.save(_changes(steps))

    async def save_steps_in(self, conn: Connection, steps: Steps) -> bool:
        await self._dialogs.save_in(conn, _changes(steps))
        return True

    async def close(self) -> None:
        """Nothing of its own to close: the database is the app's (closed with its parts)."""


class RedisDialogStorage(RedisStorage, StepStore):
    """aiogram's RedisStorage; an update's steps are written first, then the update is
    recorded as handled (a kill between the two: the re-delivery finds the new step)."""

    def __init__(self, redis: Redis, key_builder: KeyBuilder, uow: UnitOfWorkFactory) -> None:
        super().__init__(redis, key_builder=key_builder)
        self._uow = uow

    async def save_steps(self, steps: Steps) -> None:
        for key, step in steps.items():
            if step.sets_state:
                await RedisStorage.set_state(self, key, step.state)
            if step.data is not None:
                await RedisStorage.set_data(self, key, step.data)
        update = update_being_handled()
        if update is not None and not update.recorded:
            async with self._uow() as uow:
                await uow.commit()  # records the update, as the commit of any effect does

    async def close(self) -> None:
        """aiogram closes its storage when the Dispatcher shuts down, while a webhook's last
        updates may still be handled: left to close_dialog_storage (CrmBot.close)."""

    async def disconnect(self) -> None:
        await super().close()


async def close_dialog_storage(storage: BaseStorage) -> None:
    inner = storage.store if isinstance(storage, HeldSteps) else storage
    if isinstance(inner, RedisDialogStorage):
        await inner.disconnect()


def _changes(steps: Steps) -> list[DialogChange]:
    return [DialogChange(dialog_key(key), step.sets_state, step.state, step.data)
            for key, step in steps.items()]


def dialog_key(key: StorageKey) -> DialogKey:
    return DialogKey(key.bot_id, key.chat_id, key.user_id, key.thread_id,
                     key.business_connection_id, key.destiny)


# Seconds a user's lock in Redis lasts unless released: the users whose updates a killed
# worker was handling wait this long (aiogram's default is 60 s). An update is handled in
# well under it; one that took longer would let the user's next update start beside it.
USER_LOCK = 20


def dialog_storage(redis_url: str, redis_prefix: str, dialogs: DialogStates,
                   uow: UnitOfWorkFactory, inbox: UpdateInbox | None = None
                   ) -> tuple[HeldSteps, BaseEventIsolation]:
    """The storage and event isolation for the Dispatcher (see the module's docstring);
    `inbox`: the database's storage reads an update's arrival with its dialog state."""
    if not redis_url:
        return HeldSteps(DatabaseStorage(dialogs, inbox)), SimpleEventIsolation()
    # Every part of aiogram's key, so chats, threads, business connections, destinies and
    # bots sharing one Redis stay apart.
    keys = DefaultKeyBuilder(prefix=redis_prefix, with_bot_id=True,
                             with_business_connection_id=True, with_destiny=True)
    storage = RedisDialogStorage(Redis.from_url(redis_url), keys, uow)
    return HeldSteps(storage), storage.create_isolation(lock_kwargs={"timeout": USER_LOCK})
