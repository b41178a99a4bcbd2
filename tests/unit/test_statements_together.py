"""Statements a use case runs side by side (UnitOfWork.together and asyncio.gather): on
PostgreSQL one pipeline, one round trip; on both databases each gets its own answer, in the
order they were started, in the unit of work's transaction, and a failing one fails the
unit of work as a whole."""

from __future__ import annotations

import asyncio

import pytest

from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from crm.storage.connection import DatabaseError
from tests.conftest import ADMIN_ID


async def test_each_read_gets_its_own_rows(services: CrmServices, admin: Staff) -> None:
    first = await services.items.create(admin, NewItem("deal", "Relaunch"))
    second = await services.items.create(admin, NewItem("deal", "Windows"))
    async with services.uow(write=False) as uow:
        with uow.together():
            found = await asyncio.gather(
                uow.items.get(second.id), uow.staff.get(ADMIN_ID), uow.items.get(first.id),
                uow.settings.get("crm_mode"), uow.items.get(999))
    windows, ada, relaunch, mode, nothing = found
    assert windows is not None and ada is not None and relaunch is not None
    assert [windows.title, ada.name, relaunch.title, mode, nothing] == [
        "Windows", "Ada Admin", "Relaunch", "simple", None]


async def test_a_write_and_a_read_after_it_keep_their_order(
        services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Relaunch"))
    async with services.uow() as uow:
        with uow.together():
            changed, seen = await asyncio.gather(
                uow.conn.execute("UPDATE items SET title = 'Renamed' WHERE id = ?", (item.id,)),
                uow.conn.execute_fetchall("SELECT title FROM items WHERE id = ?", (item.id,)))
        assert changed.rowcount == 1 and seen[0][0] == "Renamed"
        await uow.commit()
    assert (await services.items.get(admin, item.id)).title == "Renamed"


async def test_one_failing_statement_fails_the_unit_of_work_and_keeps_nothing(
        services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Relaunch"))
    with pytest.raises(DatabaseError):
        async with services.uow() as uow:
            with uow.together():
                await asyncio.gather(
                    uow.conn.execute("UPDATE items SET title = 'Renamed' WHERE id = ?",
                                     (item.id,)),
                    uow.conn.execute("INSERT INTO no_such_table VALUES (1)"))
            await uow.commit()
    assert (await services.items.get(admin, item.id)).title == "Relaunch"
    # and the database goes on answering
    assert (await services.items.create(admin, NewItem("deal", "Next"))).title == "Next"


async def test_a_reads_first_statements_go_with_its_begin(
        services: CrmServices, admin: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read begins with its first statement; those started beside it go in the same
    pipeline on PostgreSQL (one round trip for the BEGIN and all of them), in its snapshot."""
    first = await services.items.create(admin, NewItem("deal", "Relaunch"))
    second = await services.items.create(admin, NewItem("deal", "Windows"))
    pipelines = _pipelines_counted(monkeypatch)
    async with services.uow(write=False) as uow:
        with uow.together():
            titles = await asyncio.gather(*(
                uow.conn.execute_fetchall("SELECT title FROM items WHERE id = ?", (item_id,))
                for item_id in (second.id, first.id, 999)))
    assert [[tuple(row) for row in rows] for rows in titles] == [
        [("Windows",)], [("Relaunch",)], []]
    if _on_postgresql(services):
        assert pipelines == [5]  # BEGIN, the cached tables' versions, the three reads


async def test_a_card_is_read_in_one_round_trip(
        services: CrmServices, admin: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    """The item, its contact, company, activities, copies, notes and automation summary go
    with the read's BEGIN (PostgreSQL: one pipeline); on both, the card shows them."""
    contact = await services.clients.create_contact(admin, "Anna Schmidt",
                                                    company_name="ACME")
    item = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      contact_id=contact.id))
    await services.cards.card(admin, item.id)  # the caches filled
    pipelines = _pipelines_counted(monkeypatch)
    card = await services.cards.card(admin, item.id)
    assert card.item.title == "Relaunch" and card.contact is not None
    assert card.contact.name == "Anna Schmidt" and card.company is not None
    if _on_postgresql(services):
        assert len(pipelines) == 1 and pipelines[0] >= 8, pipelines


def _on_postgresql(services: CrmServices) -> bool:
    return services.uow.db.dialect.name == "postgresql"


def _pipelines_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The sizes of the pipelines PostgreSQL connections send from now on (none on SQLite)."""
    from crm.storage.postgres.connection import PostgresConnection
    pipelines: list[int] = []
    send = PostgresConnection.send_together

    async def counted(self: PostgresConnection, statements: list[tuple[str, object]]
                      ) -> object:
        pipelines.append(len(statements))
        return await send(self, statements)  # type: ignore[arg-type]
    monkeypatch.setattr(PostgresConnection, "send_together", counted)
    return pipelines
