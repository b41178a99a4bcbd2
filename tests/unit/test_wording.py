"""The German reads as German: no pseudo-plurals, counts in plural forms, a reader's timing.

`crm/locales/GLOSSARY.md` names the terms; these tests keep what a test can keep.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.messages.catalog import Catalog, Message

from crm.i18n import load_catalog
from rules.model import TimeUnit, Timing, TimingMode
from rules.timing_text import parse_timing
from rules.timing_words import timing_words

# "Regel(n)", "Element(e)", "month(s)", "Liebe/r", "Kunde/in": a count or a reader the text
# did not bother to know. A plural form (ngettext) or a neutral wording instead.
PSEUDO_PLURAL = re.compile(
    r"(?<=\w)(?<!http)\((?:n|e|en|s|es|in|innen|r)\)|\w/(?:r|n|in|innen)\b")
# A count followed by an English plural noun, in a text that has no plural form:
# "{count} items" says "1 items" (and "1 Elemente" in German).
COUNTS = {"count", "n", "total", "done", "copies", "leads", "deals", "won", "every", "days",
          "hours", "minutes"}
COUNTED = re.compile(r"\{(\w+)\}\s+((?:[a-z]+\s+){0,2}?)([a-z]+s)\b")
NOT_NOUNS = {"is", "was", "has", "this", "its", "as", "us", "yes", "runs", "shows", "goes",
             "does", "less", "across", "process", "address", "access", "success", "status"}


def _texts(message: Message) -> list[str]:
    forms = message.string if isinstance(message.string, tuple) else (message.string,)
    return [str(form) for form in forms if form]


def pseudo_plurals(catalog: Catalog) -> list[str]:
    return sorted(text for message in catalog if message.id
                  for text in _texts(message) if PSEUDO_PLURAL.search(text))


def counts_without_plural(catalog: Catalog) -> list[str]:
    found = []
    for message in catalog:
        if not message.id or isinstance(message.id, tuple):
            continue  # a plural entry has its forms
        for match in COUNTED.finditer(str(message.id)):
            if match[1] in COUNTS and match[3] not in NOT_NOUNS:
                found.append(str(message.id))
    return sorted(found)


def test_no_german_text_has_a_pseudo_plural() -> None:
    assert pseudo_plurals(load_catalog("de")) == []


def test_every_count_before_a_noun_has_plural_forms() -> None:
    assert counts_without_plural(load_catalog("de")) == []


def test_the_checks_find_what_they_look_for() -> None:
    catalog = Catalog(locale="de")
    catalog.add("{count} items", "{count} Element(e)")
    catalog.add("Dear {name}", "Liebe/r {name}")
    catalog.add(("{count} rule", "{count} rules"), ("{count} Regel", "{count} Regeln"))
    catalog.add("the webhook URL is not an http(s) address", "keine http(s)-Adresse")
    assert pseudo_plurals(catalog) == ["Liebe/r {name}", "{count} Element(e)"]
    assert counts_without_plural(catalog) == ["{count} items"]


BERLIN = ZoneInfo("Europe/Berlin")


def test_timing_reads_as_the_reader_writes_it_and_back() -> None:
    at = Timing(mode=TimingMode.AT, at=datetime(2026, 12, 30, 10, 0, tzinfo=BERLIN))
    before = Timing(mode=TimingMode.RELATIVE, amount=3, unit=TimeUnit.DAYS,
                    field="stage_entered_at", direction="before")
    custom = before.model_copy(update={"field": "custom.deadline", "amount": 1})
    delay = Timing(mode=TimingMode.DELAY, amount=3, unit=TimeUnit.DAYS, working_hours_only=True)
    assert [timing_words(t, "de") for t in (at, before, custom, delay)] == [
        "am 30.12.2026 um 10:00", "3 Tage vor Phasenbeginn", "1 Tag vor custom.deadline",
        "nach 3 Tagen, in der Arbeitszeit"]
    assert [timing_words(t, "en") for t in (at, before, delay)] == [
        "on 30 Dec 2026 at 10:00", "3 days before stage_entered_at",
        "after 3 days, in working hours"]
    for timing in (at, before, custom, delay):
        for language in ("de", "en"):
            assert parse_timing(timing_words(timing, language)) == timing


TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Words that give away an English sentence left in a German template.
ENGLISH = re.compile(r"\b(?:the|and|your|you|with|will|for|Dear|Thank|Hello|Amount|Client|"
                     r"Invoice|Quote|Won|Lost|New deal)\b")


def _template_text(path: Path) -> str:
    """The template without its Jinja tags and HTML (what a reader sees of it)."""
    text = re.sub(r"\{[{%#].*?[}%#]\}", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)


def test_every_template_is_there_in_german_and_reads_as_german() -> None:
    def names(language: str) -> set[str]:
        return {f"{kind}/{path.name}" for kind in ("messages", "documents")
                for path in (TEMPLATES / kind / language).glob("*.j2")}

    assert names("en") == names("de")
    for name in sorted(names("de")):
        kind, file = name.split("/")
        path = TEMPLATES / kind / "de" / file
        text = _template_text(path)
        assert not PSEUDO_PLURAL.search(text), path.name
        assert not ENGLISH.search(text), (path.name, ENGLISH.findall(text))
        assert " — " not in text, path.name  # German dashes are spaced en dashes


def test_a_conditions_worded_values_read_and_are_typed_in_words() -> None:
    from rules.conditions import format_condition, parse_condition

    typed = parse_condition("Quelle ist E-Mail oder Quelle in (Anruf, website)")
    assert typed == {"any": [{"field": "item.source", "op": "=", "value": "email"},
                             {"field": "item.source", "op": "in", "value": ["call", "website"]}]}
    german = format_condition(typed, "de")
    assert german == "Quelle ist E-Mail oder Quelle in (Anruf, Website)"
    assert format_condition(typed, "en") == "source = email or source in (call, website)"
    assert parse_condition(german) == typed


# English words that give away an untranslated German text; what is code (commands, <code>,
# placeholders, quoted names, lists in brackets, setting names) is left out first.
ENGLISH_WORDS = re.compile(r"\b(?:the|and|with|your|you|please|items?|rules?|stages?|deals?|"
                           r"will|this|that|for|is|are|of|to|from)\b")
CODE = re.compile(r"<code>.*?</code>|\{[^}]*\}|„[^“]*“|\([^)]*\)|/\w+[^·.;:–]*|&lt;.*?&gt;"
                  r"|[A-Z_]{3,}")


def english_in_german(catalog: Catalog) -> list[str]:
    return sorted(text for message in catalog if message.id for text in _texts(message)
                  if ENGLISH_WORDS.search(CODE.sub(" ", text)))


def test_no_german_text_is_left_in_english() -> None:
    assert english_in_german(load_catalog("de")) == []
    catalog = Catalog(locale="de")
    catalog.add("Greet the client", "Greet the client")
    catalog.add("Use {field}", "Nutzen Sie „the field“ (and more) mit /items mine deal")
    assert english_in_german(catalog) == ["Greet the client"]
