"""A search (crm/storage/search.py) as a condition on PostgreSQL's search tables.

The tables (baseline 029) hold what SQLite's FTS5 tables hold, folded by crm_fold on write:
lower case without accents, as FTS5's unicode61 tokenizer folds ("Muller" finds "Müller"),
with the word bounds marked (migration 030): one space between words and around the text.
Each searched column has a pg_trgm GIN index. A word matches a column when the column
contains it after a space (LIKE '% meyer%', a word's start); a whole word also before one
('% meyer %'). The index finds the candidate rows and the same LIKE checks each one, with no
regular expression or function call per row. The user's words are folded the same way: here
when the result is certain (`fold`), else by crm_fold and crm_word_bounds on the argument,
which a plan for the statement's values computes once. Words hold letters and digits only,
and are escaped all the same, so no input is LIKE syntax."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from crm.storage.codec import placeholders
from crm.storage.search import SEARCHED, SearchText

_LIKE_SPECIAL = re.compile(r"([\\%_])")


def condition(found: SearchText, table: str, alias: str,
              owners: Sequence[str] | None = None) -> tuple[str, list[Any]]:
    """The WHERE condition (and its arguments) of `found` on `table` named `alias` in the
    statement; `owners`: the row's `owner` must be one of them."""
    columns = (found.column,) if found.column is not None else SEARCHED[table]
    parts: list[str] = []
    args: list[Any] = []
    for word in found.words:
        ors = []
        for column in columns:
            if column == "digits" and not word.isdigit():
                continue  # it holds digits only (a phone number's suffixes): half the text
            ors.append(_word(f"{alias}.{column}", word, found.whole(word), args))
        parts.append(f"({' OR '.join(ors)})")
    sql = " AND ".join(parts)
    if found.digits is not None:
        sql = f"({sql} OR {_word(f'{alias}.digits', found.digits, False, args)})"
    if owners is not None:
        sql += f" AND {alias}.owner IN ({placeholders(owners)})"
        args += owners
    return f"({sql})", args


def fold(word: str) -> str | None:
    """`word` as crm_fold folds it, when that is certain without asking the database: ASCII
    letters and digits, and Latin letters up to U+017F made of an ASCII letter and accents
    ("Müller": "muller"); None for any other character (crm_fold's unaccent rules turn
    "ß" into "ss", "ł" into "l", "²" stays)."""
    folded = []
    for char in word:
        if char.isascii():
            folded.append(char.lower())
            continue
        base = unicodedata.normalize("NFD", char)
        if (char > "\u017f" or not base[0].isascii() or not base[0].isalpha()
                or not all(unicodedata.combining(mark) for mark in base[1:])):
            return None
        folded.append(base[0].lower())
    return "".join(folded)


def _word(column: str, word: str, whole: bool, args: list[Any]) -> str:
    end = " %" if whole else "%"
    folded = fold(word)
    if folded is not None:
        escaped = _LIKE_SPECIAL.sub(r"\\\1", folded)
        args.append(f"% {escaped}{end}")
        return f"{column} LIKE ?"
    # Folded by the database, as the stored text was: crm_fold may give separators ("½":
    # "1/2", bounded "1 2") or nothing at all, which matches nothing (NULL), not every row.
    args += [word, end]
    return f"{column} LIKE '% ' || NULLIF(btrim(crm_word_bounds(crm_fold(?))), '') || ?"
