"""A search (crm/storage/search.py) as a condition on PostgreSQL's search tables.

The tables (baseline 029) hold what SQLite's FTS5 tables hold; each searched column has a
pg_trgm GIN index on crm_fold(column): lower case without accents, as FTS5's unicode61
tokenizer folds ("Muller" finds "Müller"). A word matches a column when the folded column
contains it (LIKE: the index finds the rows) at a word's start (the regex checks: after the
start or a character that is not a letter or digit); a whole word also before the end or
such a character. The user's words are folded by the same function in the same statement.
Words hold letters and digits only, and are escaped all the same, so no input is LIKE or
regex syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from crm.storage.search import SEARCHED, SearchText

_START = "(^|[^[:alnum:]])"
_END = "($|[^[:alnum:]])"
_LIKE_SPECIAL = re.compile(r"([\\%_])")
_REGEX_SPECIAL = re.compile(r"([^\w])")


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
            ors.append(_word(f"{alias}.{column}", word, found.whole(word), args))
        parts.append(f"({' OR '.join(ors)})")
    sql = " AND ".join(parts)
    if found.digits is not None:
        sql = f"({sql} OR {_word(f'{alias}.digits', found.digits, False, args)})"
    if owners is not None:
        sql += f" AND {alias}.owner IN ({', '.join('?' * len(owners))})"
        args += owners
    return f"({sql})", args


def _word(column: str, word: str, whole: bool, args: list[Any]) -> str:
    folded = f"crm_fold({column})"
    like = _LIKE_SPECIAL.sub(r"\\\1", word)
    regex = _REGEX_SPECIAL.sub(r"\\\1", word)
    args += [f"%{like}%", _START + regex + (_END if whole else "")]
    return f"({folded} LIKE crm_fold(?) AND {folded} ~ crm_fold(?))"
