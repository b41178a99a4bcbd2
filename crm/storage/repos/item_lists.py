"""The SQL of item lists and searches: pages by id (keyset), counts that stop at COUNT_CAP,
and search through the search table `item_search` (dialect.search).

Every statement walks one index range in id order and stops after a page (or after
COUNT_CAP + 1 rows for a count), so a page costs the same at 10 thousand items as at a
million. A salesperson sees their own items and unassigned ones: two index ranges, each
read for one page and merged, never `responsible_id = ? OR responsible_id IS NULL`, which
would sort all of their items. tests/unit/test_query_plans.py reads the plans of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crm.queries import COUNT_CAP, ItemQuery
from crm.storage.codec import MAX_ID, placeholders, storable
from crm.storage.dialect import SQLITE, Dialect
from crm.storage.search import SearchText, search_text


@dataclass(frozen=True, slots=True)
class _Range:
    """FROM and WHERE of one index range a page reads, and the column it is ordered by;
    `counted`: a cheaper range that counts the same rows (a search without filters)."""

    source: str
    clauses: list[str] = field(default_factory=list)
    args: list[Any] = field(default_factory=list)
    key: str = "i.id"
    counted: _Range | None = None

    def where(self, bound: str) -> str:
        return f" WHERE {' AND '.join([*self.clauses, bound])}"


def _ranges(q: ItemQuery, dialect: Dialect) -> list[_Range]:
    """The ranges a list or search reads; none when nothing can match."""
    if q.stage_id is not None and not storable(q.stage_id):
        return []  # forged callback data: no such row, and no number SQLite refuses
    owners = _owners(q)
    if owners == []:
        return []
    clauses: list[str] = []
    args: list[Any] = []
    if q.type_code:
        clauses.append("i.type_code = ?")
        args.append(q.type_code)
    if q.stage_id:
        clauses.append("i.stage_id = ?")
        args.append(q.stage_id)
    if q.open_only:
        clauses.append("i.closed = 0")
    if q.text is not None:
        return _search(q.text, clauses, args, owners, dialect)
    return [_Range("FROM items i", [*clauses, _owner(owner)], [*args, *_ids(owner)])
            for owner in owners] if owners else [_Range("FROM items i", clauses, args)]


def _owners(q: ItemQuery) -> list[int | None] | None:
    """The responsible ids (None: unassigned) an item of `q` may have; None: anybody's;
    empty: nobody's (somebody else's items asked for by a salesperson, who sees only their
    own and unassigned ones, or forged ids)."""
    if any(i is not None and not storable(i) for i in (q.responsible_id, q.visible_to)):
        return []  # forged callback data: no such row, and no number SQLite refuses
    if q.responsible_id is not None:
        if q.visible_to is not None and q.visible_to != q.responsible_id:
            return []
        return [q.responsible_id]
    return None if q.visible_to is None else [q.visible_to, None]


def _tokens(owners: list[int | None]) -> list[str]:
    """The owners as item_search's `owner` tokens."""
    return [f"r{owner or 0}" for owner in owners]


def _owner(owner: int | None) -> str:
    return "i.responsible_id IS NULL" if owner is None else "i.responsible_id = ?"


def _ids(owner: int | None) -> list[int]:
    return [] if owner is None else [owner]


def _search(text: str, clauses: list[str], args: list[Any],
            owners: list[int | None] | None, dialect: Dialect) -> list[_Range]:
    """One range: the search index, read in id order, drives. The owner is a token of the
    item's document (column `owner`), so a salesperson's search is one match too; items
    found are checked against it again."""
    words = search_text(text)
    if words is None:
        return []
    filtered = bool(clauses)  # type, stage: the count must look at the items too
    tokens = None if owners is None else _tokens(owners)
    match, match_args = dialect.search("item_search", words, "s", tokens)
    if owners is not None:
        clauses = [*clauses, f"({' OR '.join(_owner(owner) for owner in owners)})"]
        args = [*args, *(a for owner in owners for a in _ids(owner))]
    found = _Range("FROM item_search s", [match], match_args, key="s.rowid")
    return [_Range(f"FROM item_search s {dialect.ordered_join} items i ON i.id = s.rowid",
                   [match, *clauses], [*match_args, *args], key="s.rowid",
                   counted=None if filtered else found)]


def _union(parts: list[tuple[str, list[Any]]]) -> tuple[str, list[Any]]:
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) AS part{n}"
                             for n, (part, _) in enumerate(parts))
    return sql, [a for _, args in parts for a in args]


def page_sql(q: ItemQuery, dialect: Dialect, newer: bool = False
             ) -> tuple[str, list[Any]] | None:
    """The items of one page and one more (which tells that another page follows), newest
    first; `newer`: the page before `q.after`, oldest first. None: nothing can match."""
    ranges = _ranges(q, dialect)
    if not ranges:
        return None
    op, order = (">", "ASC") if newer else ("<", "DESC")
    # Always bounded by an id, so that every page is an index range (first page: below
    # the largest id there can be).
    cursor = min(max((q.after or 0) if newer else (q.before or MAX_ID), 0), MAX_ID)
    parts = [(f"SELECT i.* {r.source}{r.where(f'{r.key} {op} ?')}"
              f" ORDER BY {r.key} {order} LIMIT ?", [*r.args, cursor, q.limit + 1])
             for r in ranges]
    if len(parts) == 1:
        return parts[0]
    sql, args = _union(parts)
    return f"{sql} ORDER BY id {order} LIMIT ?", [*args, q.limit + 1]


def count_sql(q: ItemQuery, dialect: Dialect, newer_than: int | None = None
              ) -> tuple[str, list[Any]] | None:
    """How many items match (those newer than `newer_than`), counted to COUNT_CAP + 1 per
    range at most. None: nothing can match."""
    ranges = _ranges(q, dialect)
    if not ranges:
        return None
    counted = [r.counted or r for r in ranges]
    parts = [(f"SELECT 1 {r.source}{r.where(f'{r.key} > ?')} LIMIT ?",
              [*r.args, min(max(newer_than or 0, 0), MAX_ID), COUNT_CAP + 1])
             for r in counted]
    sql, args = _union(parts)
    return f"SELECT COUNT(*) FROM ({sql}) AS found", args


def first_search_sql(q: ItemQuery, dialect: Dialect) -> tuple[str, list[Any]] | None:
    """The first page of a search by the index alone (no type or stage asked for): the ids
    of up to COUNT_CAP + 1 matches, newest first. The page is the first of them and the
    count is how many came: a word's prefix is expanded once, not for the page and again
    for the count. None: not such a search, or nothing can match."""
    if q.text is None or q.before or q.after or q.type_code or q.stage_id or q.open_only:
        return None
    ranges = _ranges(q, dialect)
    counted = ranges[0].counted if ranges else None
    if counted is None:
        return None
    return (f"SELECT s.rowid {counted.source}{counted.where('s.rowid > ?')}"
            " ORDER BY s.rowid DESC LIMIT ?", [*counted.args, 0, COUNT_CAP + 1])


def first_search_words(q: ItemQuery) -> tuple[SearchText, list[str] | None] | None:
    """For a search first_search_sql reads: its words and the owner tokens an item must
    have one of (None: anybody's), for PostgreSQL's words table
    (crm/storage/postgres/search_words.py); None: not such a search, or nothing can match."""
    if q.text is None or q.before or q.after or q.type_code or q.stage_id or q.open_only:
        return None
    found = search_text(q.text)
    owners = _owners(q)
    if found is None or owners == []:
        return None
    return found, None if owners is None else _tokens(owners)


def items_sql(ids: list[int]) -> tuple[str, list[Any]]:
    """Items by id, newest first."""
    return (f"SELECT i.* FROM items i WHERE i.id IN ({placeholders(ids)})"
            " ORDER BY i.id DESC", list(ids))


def totals_sql(q: ItemQuery) -> tuple[str, list[Any]] | None:
    """Count and sum (in minor units) per currency of the items a list shows, read like its
    count: COUNT_CAP + 1 rows per range at most (a list of more shows no sum). None: a
    search, or nothing can match."""
    if q.text is not None:
        return None
    ranges = _ranges(q, SQLITE)  # not a search: the same SQL on both
    if not ranges:
        return None
    parts = [(f"SELECT i.currency, i.amount_minor {r.source}{r.where(f'{r.key} > ?')}"
              " LIMIT ?", [*r.args, 0, COUNT_CAP + 1]) for r in ranges]
    sql, args = _union(parts)
    return (f"SELECT currency, COUNT(*), SUM(amount_minor) FROM ({sql}) AS found GROUP BY currency"
            " ORDER BY currency", args)
