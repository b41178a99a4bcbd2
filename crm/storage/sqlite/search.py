"""A search (crm/storage/search.py) as an FTS5 query on the tables of migration 011.

Each word is quoted, so nothing the user typed is FTS5 syntax; the tokenizer (unicode61,
remove_diacritics 2) folds case and accents, so "Muller" finds "Müller". It keeps ß a
letter of its own: the tables hold it as "ss" (migration 031), and so do the words here,
so "Strasse" finds "Straße" and the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence

from crm.storage.search import SEARCHED, SearchText, search_text


def _eszett(word: str) -> str:
    return word.replace("ß", "ss").replace("ẞ", "ss")


def _query(found: SearchText) -> str:
    query = " ".join(f'"{_eszett(w)}"' if found.whole(w) else f'"{_eszett(w)}"*'
                     for w in found.words)
    if found.column is not None:
        return f"{found.column} : ({query})"
    if found.digits is not None:
        return f'({query}) OR digits : "{found.digits}"*'
    return query


def fts5_query(found: SearchText, table: str, owners: Sequence[str] | None = None) -> str:
    """The MATCH expression of `found` on the search table `table`; `owners`: the item's
    `owner` token must be one of them."""
    query = _query(found)
    if found.column is None:
        query = f"{{{' '.join(SEARCHED[table])}}} : ({query})"
    if owners is not None:
        tokens = " OR ".join(f'"{owner}"' for owner in owners)
        query += f" AND owner : ({tokens})"
    return query


def match_expression(text: str, *, prefix: bool = True, column: str | None = None
                     ) -> str | None:
    """The FTS5 query for `text` in any column, or None when it holds no word."""
    found = search_text(text, prefix=prefix, column=column)
    return None if found is None else _query(found)
