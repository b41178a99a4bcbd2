"""How a copy schedule is put in words (test mode, rule lists, the /schedules list)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from rules.recurring.schedule import Repeat
from rules.texts import Bilingual

B = Bilingual
EVERY: dict[Repeat, Bilingual] = {
    Repeat.DAYS: B(en="every {every} day(s)", de="alle {every} Tag(e)"),
    Repeat.WEEKS: B(en="every {every} week(s)", de="alle {every} Woche(n)"),
    Repeat.MONTHS: B(en="every {every} month(s)", de="alle {every} Monat(e)"),
    Repeat.MONTH_DAY: B(en="on day {day} of every {every} month(s)",
                        de="am {day}. Tag alle {every} Monat(e)"),
}
END_REASONS: dict[str, Bilingual] = {
    "lost": B(en="the item was closed as lost", de="das Element wurde als verloren geschlossen"),
    "stopped": B(en="stopped by {name}", de="von {name} gestoppt"),
    "done": B(en="all copies were made", de="alle Kopien wurden erstellt"),
    "origin_gone": B(en="the item was deleted", de="das Element wurde gelöscht"),
    "failed": B(en="a copy could not be made (the log says why)",
                de="eine Kopie konnte nicht erstellt werden (das Log nennt den Grund)"),
}


def repeat_text(repeat: Repeat, every: int, day: int | None, language: str) -> str:
    return EVERY[repeat].get(language, every=every, day=day or 1)


def moment_text(moment: datetime, timezone: str, language: str) -> str:
    return format_datetime(moment, "medium", tzinfo=ZoneInfo(timezone),
                           locale="de" if language == "de" else "en")
