"""Every update reads its dialog state and its arrival (handled before? who sent it?): the
database's dialog storage reads both in one unit of work — on PostgreSQL one round trip —
and ArrivalMiddleware finds the arrival already read."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.storage.base import StorageKey
from aiogram.types import TelegramObject, Update, User

from bot.telegram.arriving import NameTheUpdate, arriving
from bot.telegram.dialog_storage import DatabaseStorage
from crm.container import CrmServices
from crm.models import Staff
from crm.services.inbox import UpdateInbox
from crm.storage.dialogs import DialogStates
from crm.storage.handled_updates import handling_update
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from tests.conftest import ADMIN_ID

KEY = StorageKey(bot_id=42, chat_id=ADMIN_ID, user_id=ADMIN_ID)


class Counting(UnitOfWorkFactory):
    def __init__(self, inner: UnitOfWorkFactory) -> None:
        super().__init__(inner.db, inner.bus)
        self.opened: list[tuple[bool, bool]] = []

    def __call__(self, write: bool = True, atomic: bool = True) -> UnitOfWork:
        self.opened.append((write, atomic))
        return super().__call__(write, atomic)


async def _handle(services: CrmServices, update_id: int, storage: DatabaseStorage
                  ) -> tuple[str | None, Any]:
    async def handler(event: TelegramObject, data: dict[str, Any]) -> tuple[str | None, Any]:
        state = await storage.get_state(KEY)  # as aiogram's FSM middleware does first
        named = arriving()
        assert named is not None
        return state, named.arrival

    result: tuple[str | None, Any] = await NameTheUpdate()(
        handler, Update(update_id=update_id),
        {"services": services,
         "event_from_user": User(id=ADMIN_ID, is_bot=False, first_name="Ada")})
    return result


async def test_the_first_dialog_read_of_an_update_reads_its_arrival_too(
        services: CrmServices, admin: Staff) -> None:
    uows = Counting(services.uow)
    storage = DatabaseStorage(DialogStates(uows, services.clock), UpdateInbox(uows))
    state, arrival = await _handle(services, 501, storage)
    assert state is None and arrival.fresh
    assert arrival.staff is not None and arrival.staff.user_id == ADMIN_ID
    assert uows.opened == [(False, False)]  # one read, no transaction: dialog and arrival


async def test_an_update_handled_before_is_told_with_the_dialog_state(
        services: CrmServices, admin: Staff) -> None:
    await _record(services, 502)
    storage = DatabaseStorage(DialogStates(services.uow, services.clock),
                              UpdateInbox(services.uow))
    _state, arrival = await _handle(services, 502, storage)
    assert not arrival.fresh


async def _record(services: CrmServices, update_id: int) -> None:
    """The update's effect committed (its record with it), as its first delivery did."""
    with handling_update(update_id, services.clock.now()):
        async with services.uow() as uow:
            await uow.settings.set("probe", "1")
            await uow.commit()
