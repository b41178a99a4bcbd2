"""The staff and catalog rows kept across units of work: always the committed truth."""

from __future__ import annotations

from typing import Any

import pytest

from crm.container import CrmServices
from crm.models import Role, Staff
from crm.services.staff import TelegramUser
from crm.storage.base_database import Mode
from crm.storage.connection import Connection, Params
from crm.storage.database import Database
from tests.conftest import ADMIN_ID, START, add_staff


class Boom(Exception):
    pass


async def role_of(services: CrmServices, user_id: int) -> Role:
    staff = await services.staff.identify(user_id)
    assert staff is not None
    return staff.role


async def test_a_role_change_is_seen_at_once(services: CrmServices, admin: Staff) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    assert (await role_of(services, sam.user_id)) is Role.SALES
    await services.staff.set_role(admin, sam.user_id, Role.MANAGER)
    assert (await role_of(services, sam.user_id)) is Role.MANAGER
    await services.staff.remove(admin, sam.user_id)
    assert await services.staff.identify(sam.user_id) is None


async def test_a_stranger_cached_as_nobody_becomes_staff_when_joining(
        services: CrmServices, admin: Staff) -> None:
    assert await services.staff.identify(3001) is None
    invite = await services.staff.create_invite(admin, Role.SALES)
    await services.staff.join(TelegramUser(3001, "New"), invite.code)
    assert await services.staff.identify(3001) is not None


async def test_rolled_back_writes_never_reach_the_shared_rows(
        services: CrmServices, admin: Staff) -> None:
    with pytest.raises(Boom):
        async with services.uow() as uow:
            ghost = Staff(4242, "Ghost", Role.ADMIN, joined_at=START)
            await uow.staff.save(ghost)
            assert await uow.staff.get(4242) is not None  # its own unit of work sees it
            await uow.catalog.add_stage(2, "Ghost stage", "Geisterphase",
                                        (await uow.catalog.list_stages(2))[0].kind)
            assert len(await uow.catalog.list_stages(2)) == 8
            raise Boom
    assert await services.staff.identify(4242) is None
    assert len((await services.catalog.pipeline(2))[1]) == 7
    assert (await services.staff.identify(ADMIN_ID)) is not None


async def test_catalog_changes_are_seen_at_once(services: CrmServices, admin: Staff) -> None:
    _pipeline, before = await services.catalog.pipeline(2)
    await services.catalog.rename_stage(admin, before[1].id, "Paperwork")
    _pipeline, after = await services.catalog.pipeline(2)
    assert after[1].name_en == "Paperwork"
    added = await services.catalog.add_pipeline(admin, "deal", "Export")
    assert [p.name_en for p in await services.catalog.pipelines("deal")] == ["General", "Export"]
    assert len((await services.catalog.pipeline(added.id))[1]) == 4


async def test_a_read_begins_its_transaction_only_when_it_needs_one(
        db: Database, services: CrmServices, admin: Staff,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On PostgreSQL a BEGIN and its ROLLBACK are two round trips to the server: a read
    sends them only once it reads, and a read without a transaction reads the cached
    tables' versions only when it asks for their rows."""
    begun: list[str | None] = []
    begin, begin_with = db.begin, db.begin_with

    async def recording(conn: Connection, mode: Mode) -> dict[str, int]:
        begun.append(mode)
        return await begin(conn, mode)

    async def recording_with(conn: Connection, mode: Mode, sql: str, params: Params
                             ) -> tuple[dict[str, int], list[Any]]:
        begun.append(mode)  # with the first read (on PostgreSQL in one round trip)
        with monkeypatch.context() as inside:  # its own BEGIN (on SQLite) is this one
            inside.setattr(db, "begin", begin)
            return await begin_with(conn, mode, sql, params)

    monkeypatch.setattr(db, "begin", recording)
    monkeypatch.setattr(db, "begin_with", recording_with)
    async with services.uow(write=False):
        pass
    assert begun == []
    async with services.uow(write=False) as uow:
        assert await uow.items.get(1) is None
        assert await uow.staff.get(ADMIN_ID) is not None
        assert await uow.settings.get("crm_mode") == "simple"
    assert begun == ["read"]
    async with services.uow(write=False, atomic=False) as uow:
        assert await uow.settings.get("crm_mode") == "simple"
    assert begun == ["read"]
    async with services.uow(write=False, atomic=False) as uow:
        assert await uow.staff.get(ADMIN_ID) is not None
    assert begun == ["read", None]
