"""Items with their products and stage history."""

from __future__ import annotations

import json

import aiosqlite

from crm.models import Item, Product, StageChange
from crm.queries import ItemQuery
from crm.storage.codec import parse_ts_required, storable, to_minor, ts
from crm.storage.sqlite import fetch_one
from crm.storage.sqlite.item_rows import item_from_row as _item
from crm.storage.sqlite.item_rows import product_from_row as _product
from crm.storage.sqlite.item_rows import where_clause

__all__ = ["ItemQuery", "ItemRepo", "_item"]  # defined in item_rows, imported from here too


class ItemRepo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def add(self, item: Item) -> int:
        cur = await self._conn.execute(
            """INSERT INTO items (type_code, pipeline_id, stage_id, title, amount_minor, currency,
                 contact_id, company_id, responsible_id, source, custom, closed, version,
                 created_by, created_at, updated_at, stage_entered_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)""",
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
        item.id = cur.lastrowid or 0
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
                 version = version + 1
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
        cur = await self._conn.execute(
            "INSERT INTO products (item_id, name, price_minor, quantity, position)"
            " VALUES (?, ?, ?, ?, ?)",
            (item_id, product.name, to_minor(product.price), float(product.quantity), position),
        )
        product.id = cur.lastrowid
        return product.id or 0

    async def query(self, q: ItemQuery) -> tuple[list[Item], int]:
        """One page of items matching `q`, newest first, and the total count."""
        where, args = where_clause(q)
        sql_from = (
            " FROM items i LEFT JOIN contacts c ON c.id = i.contact_id"
            " LEFT JOIN companies co ON co.id = i.company_id"
        )
        row = await fetch_one(self._conn, f"SELECT COUNT(*){sql_from}{where}", args)
        total = int(row[0]) if row else 0
        rows = list(await self._conn.execute_fetchall(
            f"SELECT i.*{sql_from}{where} ORDER BY i.id DESC LIMIT ? OFFSET ?",
            (*args, q.limit, q.offset),
        ))
        return [_item(r) for r in rows], total

    async def add_history(self, change: StageChange) -> None:
        await self._conn.execute(
            "INSERT INTO stage_history (item_id, from_stage_id, to_stage_id, by_user_id, at)"
            " VALUES (?, ?, ?, ?, ?)",
            (change.item_id, change.from_stage_id, change.to_stage_id, change.by_user_id,
             ts(change.at)),
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
            )
            for r in reversed(rows)
        ]


