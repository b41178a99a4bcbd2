"""A person's calendar: their own week (or the company's), holidays, absences; and hours and
absences as people type them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from rules.model import TimeUnit, Timing, TimingMode
from rules.staff_hours.calendar import PersonCalendar
from rules.staff_hours.model import Absence, PersonalHours
from rules.staff_hours.text import parse_absence, parse_week
from rules.timing import WorkingHours, compute_due
from rules.timing_text import format_timing, parse_timing

BERLIN = ZoneInfo("Europe/Berlin")
COMPANY = WorkingHours(holidays=frozenset({date(2026, 12, 25)}))
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)  # a Monday
ANNA = PersonalHours(1, frozenset({1, 2, 3, 4}), time(8), time(12))  # Tue–Fri 8–12


def local(moment: datetime) -> datetime:
    return moment.astimezone(BERLIN)


def test_a_person_without_hours_of_their_own_works_the_companys() -> None:
    calendar = PersonCalendar("Bob", COMPANY)
    assert local(calendar.next_working_moment(MONDAY_10)) == MONDAY_10
    evening = datetime(2026, 11, 23, 19, 0, tzinfo=BERLIN)
    assert local(calendar.next_working_moment(evening)) == \
        datetime(2026, 11, 24, 9, 0, tzinfo=BERLIN)


def test_own_hours_and_an_absence_push_the_moment_past_it() -> None:
    calendar = PersonCalendar("Anna", COMPANY, ANNA)
    assert local(calendar.next_working_moment(MONDAY_10)) == \
        datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)
    away = PersonCalendar("Anna", COMPANY, ANNA,
                          (Absence(1, 1, date(2026, 11, 24), date(2026, 11, 26)),
                           Absence(2, 1, date(2026, 11, 27), date(2026, 11, 27))))
    assert local(away.next_working_moment(MONDAY_10)) == \
        datetime(2026, 12, 1, 8, 0, tzinfo=BERLIN)  # back to back, then the weekend, Monday


def test_the_companys_holidays_count_for_everyone() -> None:
    calendar = PersonCalendar("Anna", COMPANY, ANNA)
    christmas_eve = datetime(2026, 12, 24, 13, 0, tzinfo=BERLIN)  # Thursday after hours
    assert local(calendar.next_working_moment(christmas_eve)) == \
        datetime(2026, 12, 29, 8, 0, tzinfo=BERLIN)


def test_a_timing_in_the_responsible_persons_hours() -> None:
    timing = Timing(mode=TimingMode.DELAY, amount=1, unit=TimeUnit.HOURS,
                    responsible_hours=True)
    person = PersonCalendar("Anna", COMPANY, ANNA)
    start = MONDAY_10.astimezone(UTC)
    assert local(compute_due(timing, start, None, COMPANY, person)) == \
        datetime(2026, 11, 24, 8, 0, tzinfo=BERLIN)
    assert local(compute_due(timing, start, None, COMPANY)) == \
        datetime(2026, 11, 23, 11, 0, tzinfo=BERLIN)  # nobody responsible: the company's
    assert parse_timing(format_timing(timing, "de")) == timing
    assert parse_timing("nach 1 Stunde, in der Arbeitszeit des Verantwortlichen") == timing
    assert format_timing(timing) == "after 1 hour, in the responsible person's working hours"


def test_hours_and_absences_as_typed() -> None:
    assert parse_week("Mo–Fr 8:00–16:00") == (frozenset(range(5)), time(8), time(16))
    assert parse_week("Mo, Mi, Fr 8:30-12:30") == (frozenset({0, 2, 4}), time(8, 30),
                                                  time(12, 30))
    assert parse_week("Mon to Thu 9 to 17") == (frozenset(range(4)), time(9), time(17))
    assert parse_week("Mo–Fr 17–9") is None
    assert parse_week("Anna Mo–Fr 8–16") is None
    today = date(2026, 12, 6)
    assert parse_absence("24.12.–2.1.", today) == (date(2026, 12, 24), date(2027, 1, 2))
    assert parse_absence("2026-12-24 bis 2027-01-02", today) == (date(2026, 12, 24),
                                                                 date(2027, 1, 2))
    assert parse_absence("24.12.", today) == (date(2026, 12, 24), date(2026, 12, 24))
    assert parse_absence("1.12.2026–3.12.2026", today) is None  # over already
    assert parse_absence("31.2.", today) is None
