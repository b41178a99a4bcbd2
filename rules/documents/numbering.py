"""Document numbers as printed: a prefix per document type (settings INVOICE_PREFIX,
QUOTE_PREFIX, CONTRACT_PREFIX) before the type's running number, e.g. RE-00042.

The running number belongs to the type and never restarts (document_numbers, migration
006), so a changed prefix only changes what later numbers print: existing documents keep
theirs, and numbers stay gapless. Prefixes must differ from each other, and migration 027
keeps every printed number unique, so a prefix that repeats another type's old one fails
the run that would print a duplicate instead of issuing it."""

from __future__ import annotations

import re
from collections.abc import Mapping

from rules.documents.model import DocType

# Letters, digits and - _ . only: the number is also the PDF's file name.
PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,11}$")
DEFAULT_PREFIXES: Mapping[str, Mapping[DocType, str]] = {
    "de": {DocType.INVOICE: "RE-", DocType.QUOTE: "AN-", DocType.CONTRACT: "VT-"},
    "en": {DocType.INVOICE: "INV-", DocType.QUOTE: "QUO-", DocType.CONTRACT: "CON-"},
}
DIGITS = 5


def document_prefixes(language: str, chosen: Mapping[DocType, str]) -> dict[DocType, str]:
    """Each type's prefix: the chosen one (empty: the default in `language`). Raises
    ValueError, naming the setting, for a prefix of other characters or one taken twice."""
    defaults = DEFAULT_PREFIXES.get(language, DEFAULT_PREFIXES["en"])
    prefixes = {t: (chosen.get(t) or "").strip() or defaults[t] for t in DocType}
    for doc_type, prefix in prefixes.items():
        if not PREFIX.match(prefix):
            raise ValueError(f"{doc_type.value.upper()}_PREFIX {prefix!r}: up to 12 letters, "
                             "digits or - _ ., starting with a letter or digit")
    if len(set(prefixes.values())) < len(prefixes):
        raise ValueError("INVOICE_PREFIX, QUOTE_PREFIX and CONTRACT_PREFIX must differ")
    return prefixes


def format_number(prefix: str, number: int) -> str:
    return f"{prefix}{number:0{DIGITS}d}"
