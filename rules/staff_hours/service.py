"""Setting working hours and absences: a staff member their own, an admin anyone's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time

from crm.access import require_admin
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.models import Staff
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.staff_hours.model import Absence, PersonalHours
from rules.staff_hours.replan import replan
from rules.staff_hours.repo import StaffHoursRepo
from rules.timing import WorkingHours


@dataclass(frozen=True, slots=True)
class HoursView:
    person: Staff
    hours: PersonalHours | None  # None: the company's hours apply
    absences: list[Absence]  # not yet over, earliest first
    company: WorkingHours


class StaffHoursService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, company: WorkingHours,
                 wake: Callable[[], None] = lambda: None) -> None:
        self._uow = uow
        self._clock = clock
        self.company = company
        self._wake = wake  # the run worker: a run may be due earlier now

    def today(self) -> date:
        return self._clock.now().astimezone(self.company.zone).date()

    async def show(self, actor: Staff, user_id: int) -> HoursView:
        async with self._uow(write=False) as uow:
            return await self._view(uow, actor, user_id)

    async def set_hours(self, actor: Staff, user_id: int, days: frozenset[int], start: time,
                        end: time) -> HoursView:
        async with self._uow() as uow:
            await self._person(uow, actor, user_id)
            await uow.extension(StaffHoursRepo).set_hours(
                PersonalHours(user_id, days, start, end), actor.user_id, self._clock.now())
            await self._replan(uow, user_id)
            view = await self._view(uow, actor, user_id)
            await uow.commit()
        return view

    async def use_company_hours(self, actor: Staff, user_id: int) -> HoursView:
        async with self._uow() as uow:
            await self._person(uow, actor, user_id)
            await uow.extension(StaffHoursRepo).clear_hours(user_id)
            await self._replan(uow, user_id)
            view = await self._view(uow, actor, user_id)
            await uow.commit()
        return view

    async def add_absence(self, actor: Staff, user_id: int, first: date, last: date
                          ) -> HoursView:
        async with self._uow() as uow:
            await self._person(uow, actor, user_id)
            await uow.extension(StaffHoursRepo).add_absence(
                Absence(0, user_id, first, last), actor.user_id, self._clock.now())
            await self._replan(uow, user_id)
            view = await self._view(uow, actor, user_id)
            await uow.commit()
        return view

    async def delete_absence(self, actor: Staff, absence_id: int) -> HoursView:
        async with self._uow() as uow:
            repo = uow.extension(StaffHoursRepo)
            absence = await repo.get_absence(absence_id)
            if absence is None:
                raise NotFound(what=Entity.STAFF, ref=absence_id)
            await self._person(uow, actor, absence.user_id)
            await repo.delete_absence(absence_id)
            await self._replan(uow, absence.user_id)
            view = await self._view(uow, actor, absence.user_id)
            await uow.commit()
        return view

    async def _replan(self, uow: UnitOfWork, user_id: int) -> None:
        """The person's waiting runs follow their new calendar."""
        if await replan(uow, self.company, self._clock.now(), responsible_id=user_id):
            uow.after_commit(self._wake)

    async def _person(self, uow: UnitOfWork, actor: Staff, user_id: int) -> Staff:
        """The team member whose hours these are: oneself, or anyone for an admin."""
        if user_id != actor.user_id:
            require_admin(actor)
        person = await uow.staff.get(user_id)
        if person is None or not person.active:
            raise NotFound(what=Entity.STAFF, ref=user_id)
        return person

    async def _view(self, uow: UnitOfWork, actor: Staff, user_id: int) -> HoursView:
        person = await self._person(uow, actor, user_id)
        repo = uow.extension(StaffHoursRepo)
        return HoursView(person, await repo.hours(user_id),
                         await repo.absences(user_id, self.today()), self.company)
