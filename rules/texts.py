"""Texts of the rules engine in both languages.

The engine's words (kind names, status reasons) live beside the code that produces them,
so a kind module carries its own; the bot only picks the language and fills placeholders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGUAGES = ("de", "en")


def language_or(language: str | None, default: str) -> str:
    """`language` when the bot speaks it (a contact's or staff member's), else `default`."""
    return language if language in LANGUAGES else default


@dataclass(frozen=True, slots=True)
class Bilingual:
    en: str
    de: str

    def get(self, language: str, **params: Any) -> str:
        text = self.de if language == "de" else self.en
        return text.format(**params) if params else text


class SafeParams(dict[str, Any]):
    """Format parameters where a missing one shows as '?' instead of failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def fill(text: Bilingual, language: str, params: dict[str, Any]) -> str:
    template = text.de if language == "de" else text.en
    return template.format_map(SafeParams(params))
