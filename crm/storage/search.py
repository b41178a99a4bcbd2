"""What a user typed into a search, cut into words the same way for SQLite and PostgreSQL.

A `SearchText` is only words (letters and digits, NFC): quotes, `*`, `%`, `_`, `\\`,
parentheses, NEAR, AND and OR are separators or plain words, so no input reaches either
database as syntax. The connection's dialect turns it into SQL (`dialect.search`): FTS5
on SQLite (crm/storage/sqlite/search.py), trigram-indexed patterns on PostgreSQL
(crm/storage/postgres/search.py). Every word of two or more characters matches as the start
of a word ("Mül" finds "Müller"); a single character only as a whole word. Text that looks
like a phone number is also looked up by its digits without leading zeros among the indexed
digit suffixes, so "030 123456" finds "+49 30 123456".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_WORDS = 8          # a search of a whole message reads at most this many words' lists
MIN_PHONE_DIGITS = 4   # the shortest digit suffix the index holds
_WORD = re.compile(r"[^\W_]+")
_PHONE = re.compile(r"\+?[\d\s()/.-]+")

# The columns a search's words may match, per search table (item_search's `owner` is only
# for the owner filter).
SEARCHED = {
    "item_search": ("title", "client", "digits"),
    "contact_search": ("name", "email", "phone", "digits"),
    "company_search": ("name", "email", "phone", "digits"),
}


@dataclass(frozen=True, slots=True)
class SearchText:
    """Words that must all match (`prefix`: as a word's start; `column`: in that column
    only), or else `digits`: a phone number's digits, as the start of an indexed suffix."""

    words: tuple[str, ...]
    prefix: bool = True
    column: str | None = None
    digits: str | None = None

    def whole(self, word: str) -> bool:
        """Whether `word` must match a whole word (not only a word's start)."""
        return not self.prefix or len(word) < 2


def search_text(text: str, *, prefix: bool = True, column: str | None = None
                ) -> SearchText | None:
    """`text` as a search, or None when it holds no word (nothing can match). `prefix`:
    words match as prefixes; `column`: in that column only (and not as a phone number's
    digits)."""
    text = unicodedata.normalize("NFC", text)
    words = tuple(_WORD.findall(text)[:MAX_WORDS])
    if not words:
        return None
    digits = None
    if column is None and _PHONE.fullmatch(text.strip()):
        digits = "".join(words).lstrip("0")
        if len(digits) < MIN_PHONE_DIGITS:
            digits = None
    return SearchText(words, prefix, column, digits)


def phone_key_search(key: str) -> SearchText:
    """The contacts whose number ends with `key` (digits): one of its indexed suffixes."""
    return SearchText((key,), prefix=False, column="digits")
