"""The SQL of the pipeline board (crm/services/board.py). Reached as `uow.extension(BoardRepo)`.

Column heads: the open stages' count and sum in one grouped query per owner range over an
index that holds every column it needs (migration 020), in the order it groups by; a closed
stage's count (tens of thousands after a few years) from an index alone, without a sum.
Cards: one page of one column per owner range, in the order of an index of migration 026
(most recently entered first), bounded by the last card shown (keyset). A salesperson's
"all" is two ranges (their own, unassigned), each read for one page and merged, never
`responsible_id = ? OR … IS NULL`. A search is one FTS5 match (the owner is a token of the
item's document) read up to a cap. tests/unit/test_board.py reads the plans of these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.models import Item
from crm.storage.codec import placeholders, storable
from crm.storage.connection import Connection
from crm.storage.repos.item_rows import item_from_row
from crm.storage.search import search_text

Owners = list[int | None] | None  # whose items: None anybody's; None in the list: nobody's


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where a column's page ends: the last card's stage_entered_at (as stored) and id."""

    entered: str
    item_id: int


@dataclass(frozen=True, slots=True)
class Hit:
    """An item a search found: what its column's head and order need."""

    item_id: int
    stage_id: int
    currency: str
    amount_minor: int | None
    closed: bool
    position: Cursor  # its place in its column's order


@dataclass(frozen=True, slots=True)
class StageSum:
    stage_id: int
    currency: str
    count: int
    amount_minor: int | None


def _owner(owner: int | None) -> tuple[str, list[Any]]:
    return ("i.responsible_id IS NULL", []) if owner is None else ("i.responsible_id = ?",
                                                                   [owner])


def _valid(pipeline_or_stage: int, owners: Owners) -> bool:
    return storable(pipeline_or_stage) and all(o is None or storable(o) for o in owners or [])


class BoardRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def open_sums(self, pipeline_id: int, owners: Owners) -> list[StageSum]:
        """The open items of the pipeline per stage and currency, of `owners`."""
        if not _valid(pipeline_id, owners):
            return []
        found: list[StageSum] = []
        for owner in owners if owners is not None else [0]:
            where, args = _owner(owner) if owners is not None else ("TRUE", [])
            rows = await self._conn.execute_fetchall(
                "SELECT i.stage_id, i.currency, COUNT(*), SUM(i.amount_minor) FROM items i"
                f" WHERE {where} AND i.pipeline_id = ? AND i.closed = 0"
                " GROUP BY i.stage_id, i.currency", [*args, pipeline_id])
            found += [StageSum(int(r[0]), str(r[1]), int(r[2]),
                               None if r[3] is None else int(r[3])) for r in rows]
        return found

    async def count(self, stage_id: int, owners: Owners) -> int:
        """How many items of `owners` are in a stage (a closed one: they add up over the
        years, so it is counted from an index, not summed)."""
        if not _valid(stage_id, owners):
            return 0
        total = 0
        for owner in owners if owners is not None else [0]:
            where, args = _owner(owner) if owners is not None else ("TRUE", [])
            rows = await self._conn.execute_fetchall(
                f"SELECT COUNT(*) FROM items i WHERE {where} AND i.stage_id = ?",
                [*args, stage_id])
            row = rows[0] if rows else None
            total += int(row[0]) if row else 0
        return total

    async def column(self, stage_id: int, owners: Owners, after: Cursor | None,
                     limit: int) -> list[Item]:
        """Up to `limit` cards of a stage after `after`, most recently entered first."""
        if not _valid(stage_id, owners):
            return []
        parts: list[tuple[str, list[Any]]] = []
        for owner in owners if owners is not None else [0]:
            clauses, args = ["i.stage_id = ?"], list[Any]([stage_id])
            if owners is not None:
                where, owner_args = _owner(owner)
                clauses.insert(0, where)
                args = [*owner_args, *args]
            if after is not None:
                clauses.append("(i.stage_entered_at, i.id) < (?, ?)")
                args += [after.entered, after.item_id]
            parts.append((f"SELECT i.* FROM items i WHERE {' AND '.join(clauses)}"
                          " ORDER BY i.stage_entered_at DESC, i.id DESC LIMIT ?",
                          [*args, limit]))
        if len(parts) == 1:
            sql, args = parts[0]
        else:
            sql = " UNION ALL ".join(f"SELECT * FROM ({part}) AS part{n}"
                                     for n, (part, _) in enumerate(parts))
            sql += " ORDER BY stage_entered_at DESC, id DESC LIMIT ?"
            args = [a for _, part_args in parts for a in part_args] + [limit]
        return [item_from_row(r) for r in await self._conn.execute_fetchall(sql, args)]

    async def search(self, pipeline_id: int, text: str, owners: Owners,
                     cap: int) -> list[Hit]:
        """Items of the pipeline whose title, client or phone match `text` (as the lists'
        search), of `owners`; at most `cap`, newest first, as much of them as a head and a
        column's order need (the cards shown are read with `items`)."""
        words = search_text(text)
        if words is None or not _valid(pipeline_id, owners):
            return []
        tokens = None if owners is None else [f"r{owner or 0}" for owner in owners]
        match, args = self._conn.dialect.search("item_search", words, "s", tokens)
        clauses = [match, "i.pipeline_id = ?"]
        args = [*args, pipeline_id]
        if owners is not None:
            ors = [_owner(owner) for owner in owners]
            clauses.append(f"({' OR '.join(where for where, _ in ors)})")
            args += [a for _, owner_args in ors for a in owner_args]
        rows = await self._conn.execute_fetchall(
            "SELECT i.id, i.stage_id, i.currency, i.amount_minor, i.closed, i.stage_entered_at"
            f" FROM item_search s {self._conn.dialect.ordered_join} items i ON i.id = s.rowid"
            f" WHERE {' AND '.join(clauses)} ORDER BY s.rowid DESC LIMIT ?",
            [*args, cap])
        return [Hit(int(r[0]), int(r[1]), str(r[2]), None if r[3] is None else int(r[3]),
                    bool(r[4]), Cursor(str(r[5]), int(r[0]))) for r in rows]

    async def items(self, item_ids: list[int]) -> list[Item]:
        """The items of these ids, in that order (those that still exist)."""
        if not item_ids:
            return []
        rows = await self._conn.execute_fetchall(
            f"SELECT i.* FROM items i WHERE i.id IN ({placeholders(item_ids)})", item_ids)
        found = {r["id"]: item_from_row(r) for r in rows}
        return [found[i] for i in item_ids if i in found]

    async def contact_names(self, contact_ids: set[int]) -> dict[int, str]:
        if not contact_ids:
            return {}
        ids = sorted(contact_ids)
        rows = await self._conn.execute_fetchall(
            f"SELECT id, name FROM contacts WHERE id IN ({placeholders(ids)})", ids)
        return {int(r[0]): str(r[1]) for r in rows}
