"""What a user typed into a search, as an FTS5 query (the tables: migration 011).

The text is never passed through: it is cut into words the way FTS5's unicode61 tokenizer
cuts (letters and digits), each word quoted, so quotes, `*`, `-`, `:`, parentheses, NEAR,
AND, OR and NOT are plain text or separators and no input is a syntax error. Every word
of two or more characters matches as a prefix ("Mül" finds "Müller"); a single character
only as a whole word (a one-letter prefix would read the index of every word it starts).
Text that looks like a phone number is also looked up by its digits without leading zeros
among the indexed digit suffixes, so "030 123456" finds "+49 30 123456".
"""

from __future__ import annotations

import re
import unicodedata

MAX_WORDS = 8          # a search of a whole message reads at most this many words' lists
MIN_PHONE_DIGITS = 4   # the shortest digit suffix the index holds
_WORD = re.compile(r"[^\W_]+")
_PHONE = re.compile(r"\+?[\d\s()/.-]+")


def match_expression(text: str, *, prefix: bool = True, column: str | None = None
                     ) -> str | None:
    """The FTS5 query for `text`, or None when it holds no word (nothing can match).
    `prefix`: words match as prefixes; `column`: in that column only (and not as a phone
    number's digits)."""
    text = unicodedata.normalize("NFC", text)
    words = _WORD.findall(text)[:MAX_WORDS]
    if not words:
        return None
    query = " ".join(f'"{w}"*' if prefix and len(w) > 1 else f'"{w}"' for w in words)
    if column is not None:
        return f"{column} : ({query})"
    if _PHONE.fullmatch(text.strip()):
        digits = "".join(words).lstrip("0")
        if len(digits) >= MIN_PHONE_DIGITS:
            query = f'({query}) OR digits : "{digits}"*'
    return query
