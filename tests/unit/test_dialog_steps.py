"""What an update does to dialogs is saved once its handler has returned, with the record
that the update was handled (bot/telegram/dialog_steps.py): a process killed before the
reply leaves the step to the re-delivery; a re-delivery after it is dropped."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Update

from bot.telegram.dialog_steps import HeldSteps, StepsOfUpdate
from bot.telegram.dialog_storage import DatabaseStorage
from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.storage.database import Database
from crm.storage.dialogs import DialogDataNotJson, DialogStates
from crm.storage.handled_updates import handling_update
from tests.databases import database_location

KEY = StorageKey(bot_id=42, chat_id=1001, user_id=1001)
UPDATE = 777


class Killed(Exception):
    """The process dies here (as far as this update is concerned)."""


async def handle(storage: HeldSteps, services: CrmServices,
                 handler: Callable[[], Awaitable[None]]) -> None:
    """`handler` run as the bot runs one for update UPDATE."""
    async def call(_event: Any, _data: dict[str, Any]) -> None:
        await handler()
    with handling_update(UPDATE, services.clock.now()):
        await StepsOfUpdate(storage)(call, Update(update_id=UPDATE), {})


async def recorded(services: CrmServices) -> bool:
    async with services.uow(write=False) as uow:
        return await uow.settings.update_processed(UPDATE)


@pytest.fixture
async def other(tmp_path: Path, clock: FrozenClock) -> Any:
    """Another process on the same database: sees what is saved, not what is held back."""
    db = Database(database_location(tmp_path))
    await db.open()
    yield DatabaseStorage(DialogStates(build_services(db, clock).uow, clock))
    await db.close()


@pytest.fixture
def storage(services: CrmServices, clock: FrozenClock) -> HeldSteps:
    return HeldSteps(DatabaseStorage(DialogStates(services.uow, clock)))


async def test_a_step_is_saved_and_the_update_recorded_once_the_handler_returned(
        storage: HeldSteps, services: CrmServices, other: DatabaseStorage) -> None:
    async def title_step() -> None:
        await storage.set_state(KEY, "NewItem:amount")
        await storage.update_data(KEY, {"title": "Relaunch"})
        assert await storage.get_state(KEY) == "NewItem:amount"  # the handler reads it back
        assert await storage.get_data(KEY) == {"title": "Relaunch"}
        assert await other.get_state(KEY) is None  # not saved yet (the reply is not out)
        assert not await recorded(services)

    await handle(storage, services, title_step)
    assert (await other.get_state(KEY), await other.get_data(KEY)) == (
        "NewItem:amount", {"title": "Relaunch"})
    assert await recorded(services)  # its re-delivery after a restart is dropped


async def test_killed_before_the_reply_the_step_is_left_to_the_re_delivery(
        storage: HeldSteps, services: CrmServices, other: DatabaseStorage) -> None:
    await storage.set_state(KEY, "NewItem:title")

    async def title_step_killed() -> None:
        await storage.set_state(KEY, "NewItem:amount")
        await storage.update_data(KEY, {"title": "Relaunch"})
        raise Killed

    with pytest.raises(Killed):
        await handle(storage, services, title_step_killed)
    assert (await other.get_state(KEY), await other.get_data(KEY)) == ("NewItem:title", {})
    assert not await recorded(services)


async def test_a_step_that_changes_the_crm_saves_its_dialog_in_the_same_transaction(
        storage: HeldSteps, services: CrmServices, other: DatabaseStorage) -> None:
    await storage.set_state(KEY, "NewItem:contact")
    await storage.set_data(KEY, {"title": "Relaunch"})

    async def last_step() -> None:  # as /new's last step: the dialog ends, the deal is made
        await storage.update_data(KEY, {"contact": "Anna"})
        await storage.set_state(KEY, None)
        assert await other.get_state(KEY) == "NewItem:contact"  # held back
        async with services.uow() as uow:
            await uow.conn.execute("UPDATE staff SET name = 'Deal made'")
            await uow.commit()  # records the update: the dialog's steps go with it
        assert (await other.get_state(KEY), await other.get_data(KEY)) == (
            None, {"title": "Relaunch", "contact": "Anna"})
        await storage.set_data(KEY, {})  # after the commit: written at once
        assert await other.get_data(KEY) == {}

    await handle(storage, services, last_step)
    assert await recorded(services)


async def test_killed_after_the_change_to_the_crm_the_dialog_has_ended_with_it(
        storage: HeldSteps, services: CrmServices, other: DatabaseStorage) -> None:
    await storage.set_state(KEY, "NewItem:contact")
    await storage.set_data(KEY, {"title": "Relaunch"})

    async def last_step_killed() -> None:
        await storage.set_state(KEY, None)  # FSMContext.clear() before the service call
        await storage.set_data(KEY, {})
        async with services.uow() as uow:
            await uow.commit()
        raise Killed  # before the card is sent

    with pytest.raises(Killed):
        await handle(storage, services, last_step_killed)
    assert (await other.get_state(KEY), await other.get_data(KEY)) == (None, {})
    assert await recorded(services)  # the re-delivery is dropped: no second deal


async def test_non_json_data_is_refused_where_it_is_put_in(
        storage: HeldSteps, services: CrmServices) -> None:
    async def bad_step() -> None:
        await storage.update_data(KEY, {"due": services.clock.now()})

    with pytest.raises(DialogDataNotJson):
        await handle(storage, services, bad_step)


async def test_data_held_back_is_a_copy_of_its_own(storage: HeldSteps,
                                                   services: CrmServices) -> None:
    async def step() -> None:
        pieces = [{"id": 1}]
        await storage.set_data(KEY, {"pieces": pieces})
        pieces.append({"id": 2})  # the handler goes on with its own list
        (await storage.get_data(KEY))["pieces"].append({"id": 3})
        assert await storage.get_data(KEY) == {"pieces": [{"id": 1}]}

    await handle(storage, services, step)
    assert await storage.get_data(KEY) == {"pieces": [{"id": 1}]}
