"""What a condition's fields and keywords are called in each language: typed by admins and
shown back to them, so `betrag > 100 und kontaktname ist nicht leer` reads as
`amount > 100 and contact.name is not empty`. A field's label is a message id (its English
name, as conditions are written in English); its German is one word, so it can be typed.
"""

from __future__ import annotations

from functools import cache

from crm.i18n import LANGUAGES, N_, translate

LABELS: dict[str, str] = {
    "item.title": N_("title"),
    "item.amount": N_("amount"),
    "item.currency": N_("currency"),
    "item.source": N_("source"),
    "item.lost_reason": N_("lost_reason"),
    "item.created_at": N_("created_at"),
    "item.stage_entered_at": N_("stage_entered_at"),
    "item.products": N_("products"),
    "contact.name": N_("contact.name"),
    "contact.phone": N_("contact.phone"),
    "contact.email": N_("contact.email"),
    "contact.language": N_("contact.language"),
    "contact.telegram": N_("contact.telegram"),
    "company.name": N_("company.name"),
    "company.phone": N_("company.phone"),
    "company.email": N_("company.email"),
    "responsible.name": N_("responsible.name"),
    "previous_stage.code": N_("previous_stage.code"),
    "item.created_by_responsible": N_("created_by_responsible"),
}
# Values worth a word in explanations ("Quelle ist Telegram"); others are shown as stored.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "item.source": {"telegram": N_("Telegram"), "call": N_("Call"), "email": N_("E-mail"),
                    "website": N_("Website"), "event": N_("Event"), "other": N_("Other")},
    "item.created_by_responsible": {"yes": N_("yes"), "no": N_("no")},
}
# The parser's keywords in German (its grammar is English): `ist nicht leer`, `enthält`.
KEYWORDS_DE = {"und": "and", "oder": "or", "nicht": "not", "ist": "is", "leer": "empty",
               "enthält": "contains", "enthaelt": "contains", "zwischen": "between"}
OPERATOR_WORDS = {
    "en": {"contains": "contains", "not_contains": "not contains", "empty": "is empty",
           "not_empty": "is not empty", "in": "in", "not_in": "not in", "between": "between",
           "and": "and", "or": "or"},
    "de": {"contains": "enthält", "not_contains": "enthält nicht", "empty": "ist leer",
           "not_empty": "ist nicht leer", "in": "in", "not_in": "nicht in",
           "between": "zwischen", "and": "und", "or": "oder", "=": "ist", "!=": "ist nicht"},
}


def keyword(word: str) -> str:
    """The parser's (English) keyword for a typed word in either language."""
    lower = word.lower()
    return KEYWORDS_DE.get(lower, lower)


def label(name: str, language: str) -> str:
    """How a canonical field is written for `language` (`Betrag`, `amount`)."""
    return translate(LABELS[name], language) if name in LABELS else name


@cache
def from_label(word: str) -> str | None:
    """The canonical field a label in any language means (`kontaktname` → contact.name)."""
    lower = word.casefold()
    for name, message in LABELS.items():
        if any(translate(message, lang).casefold() == lower for lang in LANGUAGES):
            return name
    return None


def words(language: str) -> dict[str, str]:
    return OPERATOR_WORDS.get(language, OPERATOR_WORDS["en"])


def value_code(name: str, text: str) -> str:
    """The stored value a typed word means for a field with worded values (`Anruf`, `E-Mail`
    → call, email); other values as typed."""
    for code, message in VALUE_LABELS.get(name, {}).items():
        if text.casefold() in {code, *(translate(message, lang).casefold()
                                       for lang in LANGUAGES)}:
            return code
    return text


def value_word(name: str, value: str, language: str) -> str:
    """A stored value in the words of a German reader (`telegram` → Telegram); English keeps
    the stored value, as rules files write it."""
    message = VALUE_LABELS.get(name, {}).get(str(value).casefold())
    return translate(message, language) if message and language != "en" else str(value)
