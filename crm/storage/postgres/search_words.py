"""The newest items a search finds, through the words of item_search (migration 034).

The first page of a search shows the newest matches and how many there are, up to
COUNT_CAP + 1. A common word matches one item in ten: the trigram condition (search.py)
finds its candidates unordered and checks each, ~4.5 ms at 100,000 items. Here the search's
longest word is looked up in item_search_words instead, whose key gives each word's items in
id order:

1. the words the search's longest word stands for: itself when it must match whole, else
   the words it begins ("werner": werner, wernersen) — one probe of the key each, at most
   VOCABULARY of them, or the trigram condition answers after all (a prefix like "ma");
2. their items, newest first, merged (PostgreSQL's Merge Append of one backward index scan
   per word), each item once, up to the limit — read no further than that;
3. the other words, and a salesperson's owner tokens, are checked on the item's search
   row, with the same condition as everywhere (search.py), so what is found is what the
   trigram condition finds.

Not for a phone number's digits or a search in one column; and the word looked up is
neither digits (the digits column holds suffixes) nor one whose folding only the database
knows ("groß"): with no other word, the trigram way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crm.storage.connection import Connection
from crm.storage.postgres.search import condition, fold
from crm.storage.search import SearchText

VOCABULARY = 12  # words a prefix may stand for; more: the trigram condition

# The distinct words from a prefix on: each step one probe of the key for the next word.
# A range, not LIKE: the statement is prepared, and a generic plan cannot read a LIKE
# pattern's prefix as a range of the index.
_WORDS_FROM = f"""WITH RECURSIVE v(word) AS (
        SELECT MIN(word) FROM item_search_words WHERE word >= ? AND word < ?
    UNION ALL
        SELECT (SELECT MIN(word) FROM item_search_words WHERE word > v.word AND word < ?)
        FROM v WHERE v.word IS NOT NULL)
    SELECT word FROM v WHERE word IS NOT NULL LIMIT {VOCABULARY + 1}"""
_LAST = "\U0010ffff"  # after every character: prefix + _LAST bounds the words it begins


async def newest_items(conn: Connection, found: SearchText, owners: Sequence[str] | None,
                       limit: int) -> list[int] | None:
    """The ids of the newest `limit` items that match `found` (and have one of the owner
    tokens `owners`, if given), newest first; None when this way does not apply."""
    if found.column is not None or found.digits is not None:
        return None
    usable = [w for w in found.words if not w.isdigit() and fold(w) is not None]
    if not usable:
        return None
    driver = max(usable, key=len)  # the longest: the fewest words it begins, and items
    folded = fold(driver)
    assert folded is not None
    words = [folded] if found.whole(driver) else await _words_from(conn, folded)
    if words is None:
        return None
    if not words:
        return []  # no item has a word that begins so
    rest = list(found.words)
    rest.remove(driver)
    sql, args = _newest(words, SearchText(tuple(rest), found.prefix), owners, limit)
    return [int(row[0]) for row in await conn.execute_fetchall(sql, args)]


async def _words_from(conn: Connection, prefix: str) -> list[str] | None:
    end = prefix + _LAST
    rows = await conn.execute_fetchall(_WORDS_FROM, (prefix, end, end))
    words = [str(row[0]) for row in rows]
    return None if len(words) > VOCABULARY else words


def _newest(words: list[str], rest: SearchText, owners: Sequence[str] | None,
            limit: int) -> tuple[str, list[Any]]:
    """The newest items with one of `words` that match `rest` (the other words) too."""
    each = " UNION ALL ".join("SELECT rowid FROM item_search_words WHERE word = ?"
                              for _ in words)
    args: list[Any] = list(words)
    if not rest.words and owners is None:  # the word looked up was all there is to check
        return (f"SELECT DISTINCT w.rowid FROM ({each}) AS w ORDER BY w.rowid DESC LIMIT ?",
                [*args, limit])
    checks: list[str] = []
    if rest.words:
        where, more = condition(rest, "item_search", "s")
        checks.append(where)
        args += more
    if owners is not None:
        checks.append(f"s.owner IN ({', '.join('?' for _ in owners)})")
        args += owners
    return (f"SELECT DISTINCT w.rowid FROM ({each}) AS w"
            f" JOIN item_search s ON s.rowid = w.rowid WHERE {' AND '.join(checks)}"
            " ORDER BY w.rowid DESC LIMIT ?", [*args, limit])
