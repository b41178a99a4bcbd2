"""The calendar of one person: their own working week (or the company's), the company's
holidays, and their absences, which push a moment to the first working time after them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from crm.storage.unit_of_work import UnitOfWork
from rules.staff_hours.model import Absence, PersonalHours
from rules.staff_hours.repo import StaffHoursRepo
from rules.timing import WorkingHours

_MAX_HOPS = 100  # absences back to back; more than this is a data error


@dataclass(frozen=True, slots=True)
class PersonCalendar:
    name: str
    company: WorkingHours
    hours: PersonalHours | None = None
    absences: tuple[Absence, ...] = field(default_factory=tuple)

    @property
    def week(self) -> WorkingHours:
        """The working week that applies: the person's own, else the company's."""
        if self.hours is None:
            return self.company
        return WorkingHours(self.company.timezone, self.hours.days, self.hours.start,
                            self.hours.end, self.company.holidays)

    def next_working_moment(self, moment: datetime) -> datetime:
        """`moment` when the person works then, else the start of their next working time
        that is not in an absence."""
        week, zone = self.week, self.company.zone
        for _ in range(_MAX_HOPS):
            moment = week.next_working_moment(moment)
            day = moment.astimezone(zone).date()
            away = next((a for a in self.absences if a.first_day <= day <= a.last_day), None)
            if away is None:
                return moment
            moment = datetime.combine(away.last_day + timedelta(days=1), time(0), zone
                                      ).astimezone(UTC)
        raise ValueError("absences without end")


async def responsible_calendar(uow: UnitOfWork, responsible_id: int | None,
                               company: WorkingHours, since: datetime) -> PersonCalendar | None:
    """The calendar of the item's responsible person; None when nobody is responsible."""
    if responsible_id is None:
        return None
    person = await uow.staff.get(responsible_id)
    if person is None:
        return None
    repo = uow.extension(StaffHoursRepo)
    day = since.astimezone(company.zone).date()
    return PersonCalendar(person.name, company, await repo.hours(responsible_id),
                          tuple(await repo.absences(responsible_id, day)))
