"""An update counts as handled only in the transaction of its effect: a crash before that
commit lets the re-delivery apply it, a re-delivery after it changes nothing."""

from __future__ import annotations

import asyncio

import pytest

from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from crm.storage.handled_updates import UpdateAlreadyHandled, handling_update
from crm.storage.unit_of_work import NestedUnitOfWork
from tests.conftest import ADMIN_ID


async def _recorded(services: CrmServices, update_id: int) -> int:
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            "SELECT COUNT(*) FROM processed_updates WHERE update_id = ?", (update_id,))
    return int(next(iter(rows))[0])


async def _titles(services: CrmServices) -> list[str]:
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall("SELECT title FROM items ORDER BY id")
    return [str(row[0]) for row in rows]


async def test_an_update_whose_effect_never_committed_is_applied_on_redelivery(
        services: CrmServices, admin: Staff) -> None:
    assert (await services.inbox.arrive(77, ADMIN_ID)).fresh
    with handling_update(77, services.clock.now()), pytest.raises(RuntimeError):
        async with services.uow() as uow:  # the process dies before the commit
            await uow.conn.execute("UPDATE staff SET name = 'Crashed'")
            raise RuntimeError("killed")
    again = await services.inbox.arrive(77, ADMIN_ID)
    assert again.fresh and again.staff is not None
    with handling_update(77, services.clock.now()):
        await services.items.create(admin, NewItem("deal", "Relaunch"))
    assert await _recorded(services, 77) == 1
    assert not (await services.inbox.arrive(77, ADMIN_ID)).fresh
    assert await _titles(services) == ["Relaunch"]


async def test_an_update_that_only_reads_leaves_no_record(
        services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Relaunch"))
    with handling_update(78, services.clock.now()):
        await services.items.get(admin, item.id)
        async with services.uow(write=False) as uow:
            await uow.items.get(item.id)
            await uow.commit()
    assert await _recorded(services, 78) == 0
    assert (await services.inbox.arrive(78, ADMIN_ID)).fresh


async def test_a_redelivery_racing_the_first_commit_changes_nothing(
        services: CrmServices, admin: Staff) -> None:
    with handling_update(79, services.clock.now()):
        await services.items.create(admin, NewItem("deal", "First delivery"))
    with handling_update(79, services.clock.now()), pytest.raises(UpdateAlreadyHandled):
        await services.items.create(admin, NewItem("deal", "First delivery"))
    assert await _titles(services) == ["First delivery"]


async def test_several_commits_of_one_update_record_it_once(
        services: CrmServices, admin: Staff) -> None:
    with handling_update(80, services.clock.now()):
        await services.items.create(admin, NewItem("deal", "One"))
        await services.items.create(admin, NewItem("deal", "Two"))
    assert await _titles(services) == ["One", "Two"]
    assert await _recorded(services, 80) == 1


async def test_a_unit_of_work_inside_another_is_refused_at_once(services: CrmServices) -> None:
    async with asyncio.timeout(2):  # before: waited forever for its own lock
        async with services.uow() as outer:
            with pytest.raises(NestedUnitOfWork):
                async with services.uow(write=False):
                    pass
            await outer.commit()
    async with services.uow(write=False):  # the lock is free again
        pass
