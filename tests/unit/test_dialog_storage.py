"""Dialogs kept in the database (bot/telegram/dialog_storage.py, crm/storage/dialogs.py):
aiogram's storage interface, keys kept apart, JSON only, pruning. What an update does to
dialogs is tested in test_dialog_steps.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from bot.telegram.dialog_steps import HeldSteps
from bot.telegram.dialog_storage import DatabaseStorage
from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.storage.database import Database
from crm.storage.dialogs import DialogDataNotJson, DialogStates
from crm.storage.unit_of_work import NestedUnitOfWork
from tests.databases import database_location

KEY = StorageKey(bot_id=42, chat_id=1001, user_id=1001)


class Steps(StatesGroup):
    title = State()
    amount = State()


def in_database(services: CrmServices, clock: FrozenClock) -> HeldSteps:
    """The storage as the app builds it (outside an update, it writes at once)."""
    return HeldSteps(DatabaseStorage(DialogStates(services.uow, clock)))


@pytest.fixture
def storage(services: CrmServices, clock: FrozenClock) -> HeldSteps:
    return in_database(services, clock)


async def rows(db: Database) -> list[tuple[object, ...]]:
    return [tuple(r) for r in await db.conn.execute_fetchall(
        "SELECT chat_id, user_id, thread_id, business_connection_id, destiny, state, data"
        " FROM dialog_states ORDER BY chat_id, user_id, thread_id, destiny")]


async def test_state_and_data_are_kept_and_read_back(storage: HeldSteps,
                                                     db: Database) -> None:
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    await storage.set_state(KEY, Steps.title)
    await storage.set_data(KEY, {"type_code": "deal", "pipeline_id": 2})
    assert await storage.update_data(KEY, {"title": "Relaunch", "pipeline_id": 3}) == {
        "type_code": "deal", "pipeline_id": 3, "title": "Relaunch"}
    await storage.set_state(KEY, "Steps:amount")
    assert await storage.get_state(KEY) == Steps.amount.state
    assert await storage.get_data(KEY) == {"type_code": "deal", "pipeline_id": 3,
                                           "title": "Relaunch"}
    assert await storage.get_value(KEY, "title") == "Relaunch"
    assert await storage.get_value(KEY, "amount") is None
    assert await storage.get_value(KEY, "amount", "none given") == "none given"
    assert await rows(db) == [(1001, 1001, 0, "", "default", "Steps:amount",
                               '{"type_code":"deal","pipeline_id":3,"title":"Relaunch"}')]


async def test_a_finished_dialog_leaves_no_row(storage: HeldSteps, db: Database) -> None:
    await storage.set_state(KEY, Steps.title)
    await storage.set_data(KEY, {"title": "x"})
    await storage.set_state(KEY, None)  # FSMContext.clear(): the state, then the data
    assert await rows(db) != []  # the answers are still there
    await storage.set_data(KEY, {})
    assert await rows(db) == []
    await storage.set_data(KEY, {"only": "data"})  # data without a step is kept
    assert await storage.get_data(KEY) == {"only": "data"}


async def test_keys_are_kept_apart(storage: HeldSteps) -> None:
    keys = [KEY,
            StorageKey(bot_id=42, chat_id=-100500, user_id=1001),  # a group, same user
            StorageKey(bot_id=42, chat_id=1001, user_id=1002),
            StorageKey(bot_id=42, chat_id=-100500, user_id=1001, thread_id=7),
            StorageKey(bot_id=42, chat_id=1001, user_id=1001, business_connection_id="bc1"),
            StorageKey(bot_id=42, chat_id=1001, user_id=1001, destiny="rules"),
            StorageKey(bot_id=43, chat_id=1001, user_id=1001)]
    for number, key in enumerate(keys):
        await storage.set_state(key, f"Step:{number}")
        await storage.set_data(key, {"n": number})
    for number, key in enumerate(keys):
        assert await storage.get_state(key) == f"Step:{number}"
        assert await storage.get_data(key) == {"n": number}
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    assert [await storage.get_state(k) for k in keys] == [
        None, *(f"Step:{n}" for n in range(1, len(keys)))]


@pytest.mark.parametrize("value", [Decimal("1.5"), date(2026, 5, 3), (1, 2), {1: "a"},
                                   {"a", "b"}, float("nan"), object()])
async def test_data_that_is_not_json_is_refused_loudly(storage: HeldSteps,
                                                       value: object) -> None:
    await storage.set_data(KEY, {"kept": 1})
    with pytest.raises(DialogDataNotJson):
        await storage.update_data(KEY, {"bad": value})
    assert await storage.get_data(KEY) == {"kept": 1}  # nothing half-written
    assert issubclass(DialogDataNotJson, TypeError)


async def test_nested_json_comes_back_as_it_was(storage: HeldSteps) -> None:
    data = {"params": {"text": "Grüße – “quoted”", "days": 3, "rate": 0.5, "on": True,
                       "none": None}, "pieces": [{"id": 1, "file": None}], "changes": []}
    await storage.set_data(KEY, data)
    assert await storage.get_data(KEY) == data


async def test_dialogs_untouched_for_30_days_are_pruned_on_a_later_write(
        tmp_path: Path, clock: FrozenClock) -> None:
    db = Database(database_location(tmp_path, "prune.sqlite3"))
    await db.open()
    try:
        services = build_services(db, clock)
        old = StorageKey(bot_id=42, chat_id=1, user_id=1)
        recent = StorageKey(bot_id=42, chat_id=2, user_id=2)
        await in_database(services, clock).set_state(old, "Steps:title")
        clock.advance(days=2)
        await in_database(services, clock).set_state(recent, "Steps:title")
        clock.advance(days=29)  # old: 31 days untouched, recent: 29
        later = in_database(services, clock)  # a fresh process
        await later.set_state(StorageKey(bot_id=42, chat_id=3, user_id=3), "Steps:title")
        assert await later.get_state(old) is None
        assert await later.get_state(recent) == "Steps:title"
    finally:
        await db.close()


async def test_a_step_written_inside_a_unit_of_work_is_refused(
        storage: HeldSteps, services: CrmServices) -> None:
    async with services.uow() as uow:
        with pytest.raises(NestedUnitOfWork):
            await storage.set_state(KEY, Steps.title)
        await uow.commit()


async def test_two_databases_on_one_file_see_one_dialog(tmp_path: Path,
                                                        clock: FrozenClock) -> None:
    """Two processes' connections: a step written by one is read by the other."""
    shared = database_location(tmp_path, "shared.sqlite3")
    first, second = Database(shared), Database(shared)
    await first.open()
    await second.open()
    try:
        one = in_database(build_services(first, clock), clock)
        two = in_database(build_services(second, clock), clock)
        await one.set_state(KEY, Steps.title)
        await one.set_data(KEY, {"type_code": "deal"})
        assert await two.get_state(KEY) == Steps.title.state
        await two.update_data(KEY, {"title": "Relaunch"})
        await two.set_state(KEY, Steps.amount)
        assert (await one.get_state(KEY), await one.get_data(KEY)) == (
            Steps.amount.state, {"type_code": "deal", "title": "Relaunch"})
    finally:
        await first.close()
        await second.close()
