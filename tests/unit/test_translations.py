"""Every text the bot can show exists in German, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from bot.i18n import load_catalog

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def source_messages() -> set[str]:
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT / "bot", method_map=[("**.py", "python")],
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "__": None},
    ):
        if isinstance(message, tuple):
            found.update(m for m in message if m)
        elif message:
            found.add(message)
    return found


def test_every_bot_text_has_a_german_translation() -> None:
    german = load_catalog("de")
    missing = sorted(m for m in source_messages() if not german.get(m) or not german[m].string)
    assert missing == []


def test_german_texts_keep_the_placeholders() -> None:
    german = load_catalog("de")
    wrong = []
    for message in german:
        if not message.id or not isinstance(message.id, str):
            continue  # the catalog's header, and plural forms
        assert isinstance(message.string, str)  # a singular message has one translation
        if set(PLACEHOLDER.findall(message.id)) != set(PLACEHOLDER.findall(message.string)):
            wrong.append(message.id)
    assert wrong == []
