"""A rule's timing as a reader sees it on a card, in a title or in /status:

    de: sofort · nach 3 Tagen · am 30.12.2026 um 10:00 · 3 Tage vor Phasenbeginn
    en: immediately · after 3 days · on 30 Dec 2026 at 10:00 · 3 days before stage_entered_at

German puts the unit in its case ("nach 3 Tagen", "3 Tage vor"); an item's date field is
named by its label (rules/conditions/labels.py); a moment is written as the reader's
language writes dates (Babel), in the zone it was set in. `parse_timing` reads each of
these back (rules files keep `format_timing`'s ISO form).
"""

from __future__ import annotations

from babel.dates import format_date, format_time

from crm.i18n import babel_locale
from rules.conditions.labels import label
from rules.model import Timing, TimingMode

_UNITS = {
    # (language, unit, amount is 1, after "nach") → word
    "de": {("minutes", True): "Minute", ("minutes", False): "Minuten",
           ("hours", True): "Stunde", ("hours", False): "Stunden",
           ("days", True): "Tag", ("days", False): "Tage"},
    "en": {("minutes", True): "minute", ("minutes", False): "minutes",
           ("hours", True): "hour", ("hours", False): "hours",
           ("days", True): "day", ("days", False): "days"},
}
_WORDS = {
    "de": {"now": "sofort", "after": "nach", "before": "vor", "after_field": "nach",
           "working": ", in der Arbeitszeit",
           "responsible": ", in der Arbeitszeit der verantwortlichen Person"},
    "en": {"now": "immediately", "after": "after", "before": "before", "after_field": "after",
           "working": ", in working hours",
           "responsible": ", in the responsible person's working hours"},
}


def timing_words(timing: Timing, language: str) -> str:
    """`timing` in words of `language` (German or English)."""
    lang = "de" if language == "de" else "en"
    words = _WORDS[lang]
    suffix = words["working"] if timing.working_hours_only else ""
    suffix += words["responsible"] if timing.responsible_hours else ""
    if timing.mode is TimingMode.DELAY:
        return f"{words['after']} {_amount(timing, lang, dative=True)}{suffix}"
    if timing.mode is TimingMode.AT and timing.at is not None:
        return moment_words(timing, lang) + suffix
    if timing.mode is TimingMode.RELATIVE:
        direction = words["before"] if timing.direction == "before" else words["after_field"]
        return f"{_amount(timing, lang, dative=False)} {direction} {_field(timing, lang)}{suffix}"
    return words["now"] + suffix


def moment_words(timing: Timing, language: str) -> str:
    """`am 30.12.2026 um 10:00` / `on 30 Dec 2026 at 10:00`."""
    assert timing.at is not None
    locale = babel_locale(language)
    time = format_time(timing.at, "HH:mm", locale=locale)
    if language == "de":
        return f"am {format_date(timing.at, 'dd.MM.yyyy', locale=locale)} um {time}"
    return f"on {format_date(timing.at, 'd MMM yyyy', locale=locale)} at {time}"


def _amount(timing: Timing, language: str, dative: bool) -> str:
    one = timing.amount == 1
    unit = _UNITS[language][(timing.unit.value, one)]
    if language == "de" and dative and not one and timing.unit.value == "days":
        unit = "Tagen"  # nach 3 Tagen, but 3 Tage vor
    return f"{timing.amount} {unit}"


def _field(timing: Timing, language: str) -> str:
    name = timing.field or ""
    return name if name.startswith("custom.") else label(f"item.{name}", language)
