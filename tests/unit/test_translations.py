"""Every text the bot and the engine can show exists in German, with the same placeholders.

Extraction reads `bot/`, `rules/` and `crm/` with Babel and the keywords of `crm.i18n`
(`_`, `N_`, `translate`, `ngettext`, `N_plural`, `translate_plural`, ...), as
`pybabel extract` would; the German is the merged catalog of `crm/locales/de`.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from crm.i18n import KEYWORDS, load_catalog, translate, translate_plural

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "crm", "rules")
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def source_messages(folder: Path) -> set[str | tuple[str, ...]]:
    found: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        folder, method_map=[("**.py", "python")], keywords=KEYWORDS,
    ):
        if isinstance(message, tuple):
            if all(message):
                found.add(tuple(message))
        elif message:
            found.add(message)
    return found


def untranslated(german: Catalog, messages: set[str | tuple[str, ...]]) -> list[str]:
    missing = []
    for message in messages:
        singular = message[0] if isinstance(message, tuple) else message
        entry = german.get(singular)
        if entry is None or not entry.string:
            missing.append(singular)
        elif isinstance(message, tuple) != isinstance(entry.id, tuple):
            missing.append(f"{singular} (singular and plural do not match)")
        elif isinstance(message, tuple) and (entry.id != message or not all(entry.string)):
            missing.append(f"{singular} (a plural form)")
    return sorted(missing)


def test_every_text_has_a_german_translation() -> None:
    german = load_catalog("de")
    for folder in SOURCES:
        assert untranslated(german, source_messages(ROOT / folder)) == [], folder


def test_extraction_sees_the_engine_texts() -> None:
    engine = source_messages(ROOT / "rules")
    assert "the rule was deleted" in engine  # N_ in a table of reasons
    assert ("every day", "every {every} days") in engine  # N_plural


def test_a_text_without_german_fails(tmp_path: Path) -> None:
    (tmp_path / "kind.py").write_text('from crm.i18n import N_\nNAME = N_("A brand-new kind")\n')
    assert untranslated(load_catalog("de"), source_messages(tmp_path)) == ["A brand-new kind"]


def test_german_texts_keep_the_placeholders() -> None:
    german = load_catalog("de")
    wrong = []
    for message in german:
        if not message.id:
            continue  # the catalog's header
        if isinstance(message.id, tuple):  # msgstr[0] is the singular, the others plural
            assert isinstance(message.string, tuple)
            singular, plural = str(message.id[0]), str(message.id[1])
            pairs = [(singular, str(message.string[0]))]
            pairs += [(plural, str(form)) for form in message.string[1:]]
        else:
            assert isinstance(message.string, str)  # a singular message has one translation
            pairs = [(str(message.id), message.string)]
        for english, translated in pairs:
            if set(PLACEHOLDER.findall(english)) != set(PLACEHOLDER.findall(translated)):
                wrong.append(english)
    assert wrong == []


def test_translate_fills_and_picks_the_plural_form() -> None:
    assert translate("the rule was deleted", "de") == "die Regel wurde gelöscht"
    assert translate("automation was stopped by {name}", "en", name="Anna") \
        == "automation was stopped by Anna"
    assert translate("template {template} line {line}: {detail}", "de", template="t") \
        == "Vorlage t, Zeile ?: ?"
    every = ("every {every} months", "alle {every} Monate")
    assert translate_plural("every month", every[0], 1, "de", every=1) == "jeden Monat"
    assert translate_plural("every month", every[0], 3, "de", every=3) == "alle 3 Monate"
    assert translate_plural("every month", every[0], 3, "en", every=3) == "every 3 months"


def _missing(german: Catalog, texts: list[str]) -> list[str]:
    return sorted({text for text in texts if text and not (
        (entry := german.get(text)) is not None and entry.string)})


def test_texts_held_in_tables_and_made_at_run_time_have_german() -> None:
    """Extraction sees a marked literal; this sees what the engine shows from its tables,
    also a text that reaches `translate` through a variable without a marker: each kind's
    name, failure reasons and dialog questions (those made from a settings model too), the
    kind groups, the condition labels and the shipped rules' titles."""
    from rules.conditions.labels import LABELS, VALUE_LABELS
    from rules.kinds import CATALOGUE
    from rules.kinds.questions import questions_for
    from rules.shipped_titles import SHIPPED

    texts: list[str] = []
    for kind in CATALOGUE.values():
        texts += [kind.name, *kind.reasons.values()]
        for question in questions_for(kind):
            texts += [question.label, question.example]
            texts += [label for _value, label in question.choices]
    texts += list(LABELS.values())
    texts += [word for words in VALUE_LABELS.values() for word in words.values()]
    texts += list(SHIPPED)
    assert _missing(load_catalog("de"), texts) == []


def test_every_shipped_rule_has_a_title_that_reads_in_german() -> None:
    from rules.shipped_titles import SHIPPED

    titles = re.findall(r"^\s*title:\s*[\"']?(.+?)[\"']?\s*$",
                        "\n".join(p.read_text(encoding="utf-8")
                                  for p in (ROOT / "rules" / "defaults").glob("*.yaml")),
                        flags=re.MULTILINE)
    assert titles and set(titles) <= SHIPPED


def test_what_a_rule_would_do_is_worded_through_the_catalog() -> None:
    """Test mode shows each kind's description of its effect to the admin: a literal there
    (`effects.apply("buttons for the client: " …)`) would be English on German screens."""
    literal = re.compile(r"effects\.apply\(\s*f?[\"']")
    found = [str(path.relative_to(ROOT)) for path in (ROOT / "rules").rglob("*.py")
             if literal.search(path.read_text(encoding="utf-8"))]
    assert found == []
