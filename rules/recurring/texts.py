"""How a copy schedule is put in words (test mode, rule lists, the /schedules list)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from crm.i18n import N_plural, babel_locale, translate_plural
from rules.recurring.schedule import Repeat

EVERY: dict[Repeat, tuple[str, str]] = {
    Repeat.DAYS: N_plural("every day", "every {every} days"),
    Repeat.WEEKS: N_plural("every week", "every {every} weeks"),
    Repeat.MONTHS: N_plural("every month", "every {every} months"),
    Repeat.MONTH_DAY: N_plural("on day {day} of every month",
                               "on day {day} of every {every} months"),
}


def repeat_text(repeat: Repeat, every: int, day: int | None, language: str) -> str:
    return translate_plural(*EVERY[repeat], every, language, every=every, day=day or 1)


def moment_text(moment: datetime, timezone: str, language: str) -> str:
    return format_datetime(moment, "medium", tzinfo=ZoneInfo(timezone),
                           locale=babel_locale(language))
