"""The SQL of the pipeline overview (/pipeline), the totals of an item list and the sales
report (/report sales). Reached as `uow.extension(ReportRepo)`.

The overview is one grouped query that reads only an index holding every column it needs
(migration 020), in the order it groups by; the report reads the stage changes of its
period through `history_by_at`. tests/unit/test_overview_plans.py reads their plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm.queries import ItemQuery
from crm.storage.codec import storable, ts
from crm.storage.connection import Connection
from crm.storage.repos.item_lists import totals_sql


@dataclass(frozen=True, slots=True)
class StageSum:
    """Open items of one stage in one currency."""

    stage_id: int
    currency: str
    count: int
    amount_minor: int | None  # None: none of them has an amount


@dataclass(frozen=True, slots=True)
class ReachedRow:
    """How many items of one person got how far in the period: their furthest progress
    stage (its position; None: none entered), and whether they were won or lost."""

    owner_id: int | None
    furthest: int | None
    won: bool
    lost: bool
    items: int


@dataclass(frozen=True, slots=True)
class StayRow:
    """Stays in one stage that ended in the period, of one person's items."""

    owner_id: int | None
    stage_id: int
    stays: int
    days: float


class ReportRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def open_by_stage(self, pipeline_id: int, owner_id: int | None) -> list[StageSum]:
        """The open items of a pipeline per stage and currency: everybody's, or one
        person's (`owner_id`)."""
        if not storable(pipeline_id) or (owner_id is not None and not storable(owner_id)):
            return []
        owner = "responsible_id = ? AND " if owner_id is not None else ""
        args = [owner_id] if owner_id is not None else []
        rows = await self._conn.execute_fetchall(
            "SELECT stage_id, currency, COUNT(*), SUM(amount_minor) FROM items"
            f" WHERE {owner}pipeline_id = ? AND closed = 0 GROUP BY stage_id, currency",
            [*args, pipeline_id])
        return [StageSum(int(r[0]), str(r[1]), int(r[2]),
                         None if r[3] is None else int(r[3])) for r in rows]

    async def list_totals(self, q: ItemQuery) -> list[tuple[str, int, int | None]]:
        """(currency, count, sum in minor units) of the items a list shows (see totals_sql)."""
        found = totals_sql(q)
        if found is None:
            return []
        rows = await self._conn.execute_fetchall(*found)
        return [(str(r[0]), int(r[1]), None if r[2] is None else int(r[2])) for r in rows]

    async def reached(self, pipeline_id: int, start: datetime, end: datetime
                      ) -> list[ReachedRow]:
        """Items of the pipeline that entered a stage in [start, end), grouped by their
        responsible person, the furthest progress stage they entered and whether they
        entered a success or (else) a failure stage."""
        rows = await self._conn.execute_fetchall(
            """SELECT owner, furthest, won, CASE WHEN lost = 1 AND won = 0 THEN 1 ELSE 0 END,
                      COUNT(*) FROM (
                   SELECT i.responsible_id AS owner,
                          MAX(CASE WHEN s.kind = 'progress' THEN s.position END) AS furthest,
                          MAX(CASE WHEN s.kind = 'success' THEN 1 ELSE 0 END) AS won,
                          MAX(CASE WHEN s.kind = 'failure' THEN 1 ELSE 0 END) AS lost
                   FROM stage_history h
                   JOIN stages s ON s.id = h.to_stage_id
                   JOIN items i ON i.id = h.item_id
                   WHERE h.at >= ? AND h.at < ? AND s.pipeline_id = ?
                   GROUP BY h.item_id, i.responsible_id) AS per_item
               GROUP BY 1, 2, 3, 4""",
            [ts(start), ts(end), pipeline_id])
        return [ReachedRow(r[0], r[1], bool(r[2]), bool(r[3]), int(r[4])) for r in rows]

    async def stays(self, pipeline_id: int, start: datetime, end: datetime) -> list[StayRow]:
        """Stays in the pipeline's stages that ended in [start, end) (the item left the
        stage then), per responsible person and stage, with their length in days."""
        days = self._conn.dialect.days_between("h.at", "p.at")
        rows = await self._conn.execute_fetchall(
            f"""SELECT i.responsible_id, h.from_stage_id, COUNT(*), SUM({days})
               FROM stage_history h
               JOIN stages s ON s.id = h.from_stage_id
               JOIN items i ON i.id = h.item_id
               JOIN stage_history p ON p.id = (
                   SELECT MAX(b.id) FROM stage_history b
                   WHERE b.item_id = h.item_id AND b.id < h.id)
               WHERE h.at >= ? AND h.at < ? AND s.pipeline_id = ?
               GROUP BY 1, 2""",
            [ts(start), ts(end), pipeline_id])
        return [StayRow(r[0], int(r[1]), int(r[2]), float(r[3] or 0)) for r in rows]

    async def lost_reasons(self, pipeline_id: int, start: datetime, end: datetime
                           ) -> list[tuple[str, int]]:
        """The lost reasons of the items that entered one of the pipeline's failure stages
        in [start, end) and are still closed, most frequent first."""
        join = self._conn.dialect.ordered_join  # SQLite: the history's index on `at` drives
        rows = await self._conn.execute_fetchall(
            f"""SELECT reason, COUNT(*) FROM (
                   SELECT DISTINCT i.id, trim(i.lost_reason) AS reason
                   FROM stage_history h
                   {join} stages s ON s.id = h.to_stage_id
                   {join} items i ON i.id = h.item_id
                   {join} stages now ON now.id = i.stage_id
                   WHERE h.at >= ? AND h.at < ? AND s.pipeline_id = ?
                     AND s.kind = 'failure' AND now.kind = 'failure'
                     AND i.lost_reason IS NOT NULL AND trim(i.lost_reason) != '') AS lost
               GROUP BY reason ORDER BY COUNT(*) DESC, reason""",
            [ts(start), ts(end), pipeline_id])
        return [(str(r[0]), int(r[1])) for r in rows]
