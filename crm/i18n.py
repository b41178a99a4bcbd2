"""Translations: one set of gettext catalogs for every layer, read from `crm/locales`.

Message ids are the English texts; `crm/locales/<language>/LC_MESSAGES/*.po` hold the
other languages (one file per area, all of a language merged into one catalog). The `.po`
files are compiled in memory with Babel when first needed, so there is no build step.
The bot (aiogram's I18n) and the engine read the same catalogs through this module.

Texts written at import time (tables of reasons, kind names) are marked with `N_` (and
`N_plural` for a text with a count) and translated where they are shown, with `translate`
or `translate_plural`; `tests/unit/test_translations.py` extracts every marked text and
fails when one lacks its German.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("de", "en")
# What extraction looks for (Babel's keyword spec): `pybabel extract -k ...` and the test.
KEYWORDS: dict[str, Any] = {
    "_": None, "gettext": None, "__": None, "N_": None, "translate": None,
    "ngettext": (1, 2), "N_plural": (1, 2), "translate_plural": (1, 2),
}


def N_(message: str) -> str:
    """Marks a text for extraction without translating it (yet)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a text with a count for extraction; `translate_plural(*text, n, ...)`."""
    return singular, plural


def language_or(language: str | None, default: str) -> str:
    """`language` when the bot speaks it (a contact's or staff member's), else `default`."""
    return language if language in LANGUAGES else default


def babel_locale(language: str | None) -> str:
    """The Babel locale for dates and numbers in `language` (English unless German)."""
    return language_or(language, "en")


def load_catalog(language: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    """Every `.po` file of `language` merged into one catalog (translated messages only)."""
    merged = Catalog(locale=language)
    for po_file in sorted((locales_dir / language / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as fp:
            for message in read_po(fp, locale=language):
                if message.id and message.string:
                    merged[message.id] = message
    return merged


def compile_catalog(language: str, locales_dir: Path = LOCALES_DIR) -> gettext.GNUTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, load_catalog(language, locales_dir))
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translations(language: str) -> gettext.GNUTranslations:
    """The compiled catalog of `language` (English for a language the bot does not speak)."""
    return compile_catalog(language_or(language, "en"))


class SafeParams(dict[str, Any]):
    """Format parameters where a missing one shows as '?' instead of failing."""

    def __missing__(self, key: str) -> str:
        return "?"


def fill(message: str, language: str, params: dict[str, Any]) -> str:
    """`message` in `language` with `params` filled in; a missing one shows as '?'."""
    return translations(language).gettext(message).format_map(SafeParams(params))


def translate(message: str, language: str, **params: Any) -> str:
    """`message` in `language`; with params, filled in (a missing one shows as '?')."""
    text = translations(language).gettext(message)
    return text.format_map(SafeParams(params)) if params else text


# Between a thing and what is said of it ("Anrufen – wartet bis …"): German sets a spaced en
# dash, English an em dash.
DASH = N_(" — ")


def dash(language: str) -> str:
    return translate(DASH, language)


def quoted(text: str, language: str) -> str:
    """`text` in the quotation marks of `language`: „German“, “English”."""
    return f"„{text}“" if language == "de" else f"“{text}”"


def translate_plural(singular: str, plural: str, n: int, language: str, **params: Any) -> str:
    """The form of a text with a count that fits `n`, filled in with `params`."""
    text = translations(language).ngettext(singular, plural, n)
    return text.format_map(SafeParams(params)) if params else text
