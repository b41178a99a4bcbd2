"""Lead → deal conversion: jobs, the per-lead links, and the reads a conversion batch needs."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from crm.conversion_jobs import COUNT_COLUMNS, ConversionCounts, ConversionJob
from crm.models import Item, Product
from crm.storage.codec import from_minor, parse_ts, parse_ts_required, placeholders, ts
from crm.storage.connection import Connection
from crm.storage.repos import insert_id
from crm.storage.repos.items import _item as item_from_row

# Leads still being worked on: their stage is neither success nor failure (the `closed`
# flag is not asked: it is not updated when an admin changes a stage's kind).
_LEADS = "FROM items i JOIN stages s ON s.id = i.stage_id"
_OPEN = "i.type_code = 'lead' AND s.kind = 'progress'"


def _job(row: Any) -> ConversionJob:
    return ConversionJob(
        id=row["id"],
        running=row["state"] == "running",
        options=json.loads(row["options"]),
        started_by=row["started_by"],
        started_at=parse_ts_required(row["started_at"]),
        finished_at=parse_ts(row["finished_at"]),
        total=row["total"],
        counts=ConversionCounts(**{c: row[c] for c in COUNT_COLUMNS}),
    )


class ConversionRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def _rows(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        return list(await self._conn.execute_fetchall(sql, tuple(args)))

    # jobs
    async def running_job(self) -> ConversionJob | None:
        rows = await self._rows("SELECT * FROM conversion_jobs WHERE state = 'running'")
        return _job(rows[0]) if rows else None

    async def get_job(self, job_id: int) -> ConversionJob | None:
        rows = await self._rows("SELECT * FROM conversion_jobs WHERE id = ?", (job_id,))
        return _job(rows[0]) if rows else None

    async def start_job(
        self, options: dict[str, Any], started_by: int | None, at: datetime, total: int
    ) -> ConversionJob:
        job_id = await insert_id(
            self._conn,
            "INSERT INTO conversion_jobs (state, options, started_by, started_at, total)"
            " VALUES ('running', ?, ?, ?, ?) RETURNING id",
            (json.dumps(options), started_by, ts(at), total),
        )
        return ConversionJob(job_id, True, options, started_by, at, None, total)

    async def add_counts(self, job_id: int, counts: ConversionCounts) -> None:
        assignments = ", ".join(f"{c} = {c} + ?" for c in COUNT_COLUMNS)
        await self._conn.execute(
            f"UPDATE conversion_jobs SET {assignments} WHERE id = ?",
            (*(getattr(counts, c) for c in COUNT_COLUMNS), job_id),
        )

    async def finish_job(self, job_id: int, at: datetime) -> None:
        await self._conn.execute(
            "UPDATE conversion_jobs SET state = 'done', finished_at = ? WHERE id = ?",
            (ts(at), job_id),
        )

    # the leads to convert
    async def count_open_leads(self) -> int:
        return int((await self._rows(f"SELECT COUNT(*) {_LEADS} WHERE {_OPEN}"))[0][0])

    async def open_leads_after(self, after_id: int, limit: int) -> list[tuple[Item, int | None]]:
        """Open leads by id from `after_id` on, each with the deal it already became (if any).
        Paging by id keeps memory flat and never revisits a lead in one run."""
        rows = await self._rows(
            f"""SELECT i.*, c.deal_id AS linked_deal_id
                {_LEADS} LEFT JOIN lead_conversions c ON c.lead_id = i.id
                WHERE {_OPEN} AND i.id > ? ORDER BY i.id LIMIT ?""",
            (after_id, limit),
        )
        return [(item_from_row(r), r["linked_deal_id"]) for r in rows]

    async def lead_pipelines_without_success(self) -> list[int]:
        """Lead pipelines that hold open leads but have no success stage to close them in."""
        rows = await self._rows(
            f"""SELECT DISTINCT i.pipeline_id {_LEADS} WHERE {_OPEN} AND NOT EXISTS (
                  SELECT 1 FROM stages x WHERE x.pipeline_id = i.pipeline_id
                    AND x.kind = 'success')"""
        )
        return [int(r[0]) for r in rows]

    async def products_of(self, item_ids: Sequence[int]) -> dict[int, list[Product]]:
        found: dict[int, list[Product]] = {}
        if not item_ids:
            return found
        rows = await self._rows(
            f"SELECT * FROM products WHERE item_id IN ({placeholders(item_ids)})"
            " ORDER BY item_id, position",
            item_ids,
        )
        for r in rows:
            found.setdefault(r["item_id"], []).append(Product(
                name=r["name"], price=from_minor(r["price_minor"]) or Decimal(0),
                quantity=Decimal(str(r["quantity"]))))
        return found

    async def companies_of_contacts(self, contact_ids: Sequence[int]) -> dict[int, int | None]:
        if not contact_ids:
            return {}
        rows = await self._rows(
            f"SELECT id, company_id FROM contacts WHERE id IN ({placeholders(contact_ids)})",
            contact_ids,
        )
        return {r["id"]: r["company_id"] for r in rows}

    # links
    async def add_links(
        self, links: Sequence[tuple[int, int]], job_id: int | None, at: datetime
    ) -> None:
        """(lead_id, deal_id) pairs in one statement; the primary key refuses a second deal."""
        await self._conn.executemany(
            "INSERT INTO lead_conversions (lead_id, deal_id, job_id, at) VALUES (?, ?, ?, ?)",
            [(lead_id, deal_id, job_id, ts(at)) for lead_id, deal_id in links],
        )

    async def give_contacts_company(self, pairs: Sequence[tuple[int, int]]) -> None:
        """(contact_id, company_id): the company becomes the contact's unless it has one."""
        await self._conn.executemany(
            "UPDATE contacts SET company_id = ? WHERE id = ? AND company_id IS NULL",
            [(company_id, contact_id) for contact_id, company_id in pairs],
        )

    async def deal_for_lead(self, lead_id: int) -> int | None:
        rows = await self._rows(
            "SELECT deal_id FROM lead_conversions WHERE lead_id = ?", (lead_id,))
        return int(rows[0][0]) if rows else None

    # reporting
    async def lead_funnel(
        self, start: datetime, end: datetime
    ) -> list[tuple[str | None, int, int, int]]:
        """(source, leads, converted, won) for leads created in [start, end): a cohort, so
        a lead created in the period counts as converted whenever its conversion happened."""
        rows = await self._rows(
            """SELECT l.source, COUNT(*), COUNT(c.deal_id),
                      COUNT(*) FILTER (WHERE s.kind = 'success')
               FROM items l
               LEFT JOIN lead_conversions c ON c.lead_id = l.id
               LEFT JOIN items d ON d.id = c.deal_id
               LEFT JOIN stages s ON s.id = d.stage_id
               WHERE l.type_code = 'lead' AND l.created_at >= ? AND l.created_at < ?
               GROUP BY l.source ORDER BY COUNT(*) DESC, l.source""",
            (ts(start), ts(end)),
        )
        return [(r[0], int(r[1]), int(r[2]), int(r[3])) for r in rows]
