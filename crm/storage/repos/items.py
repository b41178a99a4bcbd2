"""Items with their products and stage history."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

from crm.models import Item, Product, StageChange
from crm.queries import COUNT_CAP, ItemPage, ItemQuery
from crm.storage.codec import parse_ts_required, storable, to_minor, ts
from crm.storage.connection import Connection
from crm.storage.postgres.search_words import newest_items
from crm.storage.repos import fetch_one, insert_id
from crm.storage.repos.item_lists import (
    count_sql,
    first_search_sql,
    first_search_words,
    items_sql,
    page_sql,
)
from crm.storage.repos.item_rows import item_from_row as _item
from crm.storage.repos.item_rows import product_from_row as _product

__all__ = ["ItemQuery", "ItemRepo", "_item"]  # defined in item_rows, imported from here too


class ItemRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def add(self, item: Item) -> int:
        item.id = await insert_id(
            self._conn,
            """INSERT INTO items (type_code, pipeline_id, stage_id, title, amount_minor, currency,
                 contact_id, company_id, responsible_id, source, custom, closed, version,
                 created_by, created_at, updated_at, stage_entered_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?) RETURNING id""",
            (
                item.type_code,
                item.pipeline_id,
                item.stage_id,
                item.title,
                to_minor(item.amount),
                item.currency,
                item.contact_id,
                item.company_id,
                item.responsible_id,
                item.source,
                json.dumps(item.custom, ensure_ascii=False),
                int(item.closed),
                item.created_by,
                ts(item.created_at),
                ts(item.updated_at),
                ts(item.stage_entered_at),
            ),
        )
        item.version = 1
        for position, product in enumerate(item.products, start=1):
            await self.add_product(item.id, product, position)
        return item.id

    async def get(self, item_id: int, with_products: bool = True) -> Item | None:
        if not storable(item_id):
            return None
        if not with_products:
            row = await fetch_one(self._conn, "SELECT * FROM items WHERE id = ?", (item_id,))
            return _item(row) if row else None
        rows = list(await self._conn.execute_fetchall(  # the item with its products at once
            """SELECT i.*, p.id AS product_id, p.name AS product_name,
                 p.price_minor AS product_price, p.quantity AS product_quantity
               FROM items i LEFT JOIN products p ON p.item_id = i.id
               WHERE i.id = ? ORDER BY p.position""", (item_id,)))
        if not rows:
            return None
        item = _item(rows[0])
        item.products = [_product(r["product_id"], r["product_name"], r["product_price"],
                                  r["product_quantity"]) for r in rows if r["product_id"]]
        return item

    async def save(self, item: Item, expected_version: int) -> bool:
        """Writes the item if nobody changed it since `expected_version`; bumps the version."""
        cur = await self._conn.execute(
            """UPDATE items SET pipeline_id = ?, stage_id = ?, title = ?, amount_minor = ?,
                 currency = ?, contact_id = ?, company_id = ?, responsible_id = ?, source = ?,
                 custom = ?, closed = ?, updated_at = ?, stage_entered_at = ?,
                 lost_reason = ?, version = version + 1
               WHERE id = ? AND version = ?""",
            (
                item.pipeline_id,
                item.stage_id,
                item.title,
                to_minor(item.amount),
                item.currency,
                item.contact_id,
                item.company_id,
                item.responsible_id,
                item.source,
                json.dumps(item.custom, ensure_ascii=False),
                int(item.closed),
                ts(item.updated_at),
                ts(item.stage_entered_at),
                item.lost_reason,
                item.id,
                expected_version,
            ),
        )
        if cur.rowcount != 1:
            return False
        item.version = expected_version + 1
        return True

    async def move_many(self, items: list[Item]) -> int:
        """Writes each item's stage (and closed flag, timestamps) if its version is still the
        one it was read with; bumps the versions. Returns how many rows were written."""
        if not items:
            return 0
        cur = await self._conn.executemany(
            """UPDATE items SET stage_id = ?, closed = ?, updated_at = ?, stage_entered_at = ?,
                 version = version + 1
               WHERE id = ? AND version = ?""",
            [(i.stage_id, int(i.closed), ts(i.updated_at), ts(i.stage_entered_at), i.id,
              i.version) for i in items],
        )
        return cur.rowcount

    async def products(self, item_id: int) -> list[Product]:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM products WHERE item_id = ? ORDER BY position", (item_id,))
        return [_product(r["id"], r["name"], r["price_minor"], r["quantity"]) for r in rows]

    async def add_product(self, item_id: int, product: Product, position: int | None = None) -> int:
        if position is None:
            row = await fetch_one(
                self._conn,
                "SELECT COALESCE(MAX(position), 0) + 1 FROM products WHERE item_id = ?",
                (item_id,)
            )
            position = int(row[0]) if row else 1
        product.id = await insert_id(
            self._conn,
            "INSERT INTO products (item_id, name, price_minor, quantity, position)"
            " VALUES (?, ?, ?, ?, ?) RETURNING id",
            (item_id, product.name, to_minor(product.price), float(product.quantity), position),
        )
        return product.id

    async def query(self, q: ItemQuery) -> ItemPage:
        """One page of items matching `q`, newest first, with counts (see ItemPage)."""
        if q.text is not None and not (q.before or q.after):
            words = first_search_words(q) if self._conn.dialect.search_words else None
            ids = await newest_items(self._conn, *words, COUNT_CAP + 1) if words else None
            if ids is not None:
                return await self._first_search_page(q, ids)
            found = first_search_sql(q, self._conn.dialect)
            if found is not None:
                return await self._first_search_page(
                    q, [int(r[0]) for r in await self._conn.execute_fetchall(*found)])
        newer = q.after is not None and q.before is None
        # A page older than `before` begins at the newest match below it, so the matches
        # newer than its first item are those from `before` up: counted beside the page.
        above_from = q.before - 1 if q.before and not newer else None
        with self._conn.together():  # the page and the counts (which no cursor moves)
            rows, (total, more_than_total), counted_above = await asyncio.gather(
                self._page_rows(q, newer), self._count(q),
                self._count(q, newer_than=above_from) if above_from is not None
                else _nothing())
        if (newer and len(rows) <= q.limit) or (q.before and not rows):
            # The top was reached going back (or nothing is left past the cursor): the
            # first page, full, rather than a short one.
            q, newer = replace(q, before=None, after=None), False
            rows = await self._page_rows(q, newer)
        page = ItemPage(items=[_item(r) for r in rows[:q.limit]])
        if newer:
            page.items.reverse()
            page.has_newer, page.has_older = len(rows) > q.limit, True
        else:
            page.has_newer, page.has_older = q.before is not None, len(rows) > q.limit
        page.total, page.more_than_total = total, more_than_total
        if page.has_newer and page.items:
            above, past = (counted_above if counted_above is not None
                           else await self._count(q, newer_than=page.items[0].id))
            page.above = None if past else above
        return page

    async def _first_search_page(self, q: ItemQuery, ids: list[int]) -> ItemPage:
        """The first page of a search from the ids of up to COUNT_CAP + 1 matches, newest
        first: the page is the first of them and the count is how many came."""
        rows = await self._conn.execute_fetchall(*items_sql(ids[:q.limit])) if ids else []
        owners = ({q.responsible_id} if q.responsible_id is not None
                  else {q.visible_to, None} if q.visible_to is not None else None)
        items = [_item(r) for r in rows if owners is None or r["responsible_id"] in owners]
        return ItemPage(items=items, total=min(len(ids), COUNT_CAP),
                        more_than_total=len(ids) > COUNT_CAP, has_older=len(ids) > q.limit)

    async def _page_rows(self, q: ItemQuery, newer: bool) -> list[Any]:
        found = page_sql(q, self._conn.dialect, newer)
        return list(await self._conn.execute_fetchall(*found)) if found else []

    async def _count(self, q: ItemQuery, newer_than: int | None = None) -> tuple[int, bool]:
        """(count, whether there are more than COUNT_CAP)."""
        found = count_sql(q, self._conn.dialect, newer_than)
        row = await fetch_one(self._conn, found[0], tuple(found[1])) if found else None
        count = int(row[0]) if row else 0
        return min(count, COUNT_CAP), count > COUNT_CAP

    async def add_history(self, change: StageChange) -> None:
        await self._conn.execute(
            "INSERT INTO stage_history (item_id, from_stage_id, to_stage_id, by_user_id, at,"
            " lost_reason) VALUES (?, ?, ?, ?, ?, ?)",
            (change.item_id, change.from_stage_id, change.to_stage_id, change.by_user_id,
             ts(change.at), change.lost_reason),
        )

    async def add_history_many(self, changes: list[StageChange]) -> None:
        await self._conn.executemany(
            "INSERT INTO stage_history (item_id, from_stage_id, to_stage_id, by_user_id, at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(c.item_id, c.from_stage_id, c.to_stage_id, c.by_user_id, ts(c.at))
             for c in changes],
        )

    async def history(self, item_id: int, limit: int = 20) -> list[StageChange]:
        rows = list(await self._conn.execute_fetchall(
            "SELECT * FROM stage_history WHERE item_id = ? ORDER BY id DESC LIMIT ?",
            (item_id, limit),
        ))
        return [
            StageChange(
                item_id=r["item_id"],
                from_stage_id=r["from_stage_id"],
                to_stage_id=r["to_stage_id"],
                by_user_id=r["by_user_id"],
                at=parse_ts_required(r["at"]),
                lost_reason=r["lost_reason"],
            )
            for r in reversed(rows)
        ]


async def _nothing() -> None:
    """In place of a statement not needed (beside others in asyncio.gather)."""
