"""Reminder times as people type them, English and German: the rule timings plus the
calendar (weekday, tomorrow, a date, a clock time), and where the reminder's text begins."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from rules.activity_texts import reminder_buttons
from rules.moment_text import MomentInvalid, next_working_morning, parse_moment, split_moment
from rules.timing import WorkingHours
from rules.timing_text import parse_timing

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Berlin


def local(text: str) -> str:
    return f"{parse_moment(text, NOW, 'Europe/Berlin').astimezone(BERLIN):%a %Y-%m-%d %H:%M}"


@pytest.mark.parametrize(("text", "expected"), [
    ("tuesday 10:00", "Tue 2026-11-24 10:00"), ("Dienstag 10:00", "Tue 2026-11-24 10:00"),
    ("tomorrow 9:00", "Tue 2026-11-24 09:00"), ("morgen 9 Uhr", "Tue 2026-11-24 09:00"),
    ("morgen um 9", "Tue 2026-11-24 09:00"), ("in 2 hours", "Mon 2026-11-23 12:00"),
    ("in 2 Stunden", "Mon 2026-11-23 12:00"), ("nach 30 Minuten", "Mon 2026-11-23 10:30"),
    ("12.12. 14:00", "Sat 2026-12-12 14:00"), ("12.12.2026 14:00", "Sat 2026-12-12 14:00"),
    ("2026-12-12 14:00", "Sat 2026-12-12 14:00"), ("at 2026-12-01 09:00", "Tue 2026-12-01 09:00"),
    ("übermorgen", "Wed 2026-11-25 09:00"), ("Friday", "Fri 2026-11-27 09:00"),
    ("am Freitag 14:00", "Fri 2026-11-27 14:00"), ("3pm", "Mon 2026-11-23 15:00"),
    ("3:30 pm tomorrow", "Tue 2026-11-24 15:30"), ("9.30 Uhr morgen", "Tue 2026-11-24 09:30"),
    ("monday 11:00", "Mon 2026-11-23 11:00"),  # today, still ahead
    ("monday 9:00", "Mon 2026-11-30 09:00"),  # today's is past: next week
    ("next monday 11:00", "Mon 2026-11-30 11:00"), ("nächsten Montag", "Mon 2026-11-30 09:00"),
    ("8:00", "Tue 2026-11-24 08:00"),  # a clock time alone: its next occurrence
    ("5.1.", "Tue 2027-01-05 09:00"),  # the nearest such date
    ("in an hour", "Mon 2026-11-23 11:00"), ("in einer Stunde", "Mon 2026-11-23 11:00"),
    ("in 2 weeks", "Mon 2026-12-07 10:00"), ("in einer Woche", "Mon 2026-11-30 10:00"),
])
def test_phrases_in_both_languages(text: str, expected: str) -> None:
    assert local(text) == expected


@pytest.mark.parametrize(("text", "reason"), [
    ("today 8:00", "past"), ("heute 9 Uhr", "past"), ("01.01.2026 10:00", "past"),
    ("22.11.", "past"), ("in 0 minutes", "past"), ("soon", "unknown"), ("now", "unknown"),
    ("call back", "unknown"), ("12", "unknown"), ("31.02. 10:00", "unknown"),
    ("25:00", "unknown"), ("1 day before custom.deadline", "unknown"),
    ("in 2 hours, in working hours", "unknown"),
])
def test_what_is_refused(text: str, reason: str) -> None:
    with pytest.raises(MomentInvalid) as caught:
        parse_moment(text, NOW, "Europe/Berlin")
    assert caught.value.reason == reason


@pytest.mark.parametrize(("text", "moment", "rest"), [
    ("tuesday 10:00 call back", "Tue 2026-11-24 10:00", "call back"),
    ("in 2 hours send the offer", "Mon 2026-11-23 12:00", "send the offer"),
    ("morgen 9:00 Angebot nachfassen", "Tue 2026-11-24 09:00", "Angebot nachfassen"),
    ("morgen 9 Uhr Angebot", "Tue 2026-11-24 09:00", "Angebot"),
    ("12.12. 14:00; 2 copies", "Sat 2026-12-12 14:00", "2 copies"),
    ("Friday", "Fri 2026-11-27 09:00", ""),
])
def test_the_text_begins_after_the_longest_time_phrase(text: str, moment: str, rest: str
                                                       ) -> None:
    found, text_rest = split_moment(text, NOW, "Europe/Berlin")
    assert (f"{found.astimezone(BERLIN):%a %Y-%m-%d %H:%M}", text_rest) == (moment, rest)


def test_a_past_phrase_is_refused_with_its_moment() -> None:
    with pytest.raises(MomentInvalid) as caught:
        split_moment("today 8:00 call", NOW, "Europe/Berlin")
    assert caught.value.reason == "past" and caught.value.text == "today 8:00"
    assert caught.value.moment == datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def test_the_day_without_a_clock_time_opens_at_the_given_time() -> None:
    moment = parse_moment("tomorrow", NOW, "Europe/Berlin", default_time=time(8, 30))
    assert moment == datetime(2026, 11, 24, 7, 30, tzinfo=UTC)


def test_the_next_working_morning_skips_weekends_and_holidays() -> None:
    hours = WorkingHours("Europe/Berlin", holidays=frozenset({date(2026, 11, 30)}))
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert next_working_morning(friday, hours) == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert next_working_morning(NOW, hours) == datetime(2026, 11, 24, 8, 0, tzinfo=UTC)


def test_rule_timings_read_as_before() -> None:
    assert parse_timing("after 10 minutes").amount == 10
    assert parse_timing("nach 2 Stunden, in Arbeitszeit").working_hours_only


def test_the_snooze_button_names_the_next_working_day() -> None:
    hours = WorkingHours("Europe/Berlin")
    friday = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    morning = next_working_morning(friday, hours)
    for language, label in (("en", "🌅 Mon 9:00"), ("de", "🌅 Mo 9:00")):
        rows = reminder_buttons(7, 3, language, friday, morning, "Europe/Berlin")
        assert [b.text for b in rows[1]][1] == label
        assert [(b.activity_id, b.snooze) for b in rows[1]] == [(7, "hour"), (7, "morning")]
    monday = reminder_buttons(7, 3, "de", NOW, next_working_morning(NOW, hours), "Europe/Berlin")
    assert [b.text for row in monday for b in row] == [
        "✅ Erledigt", "#3 öffnen", "⏰ +1 Std.", "🌅 Morgen 9:00"]
