"""Reading items: a row as an Item or Product, and what a list or search asks for (an
ItemQuery) as a WHERE clause."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from crm.models import Item, Product
from crm.queries import ItemQuery
from crm.storage.codec import from_minor, parse_ts_required


def where_clause(q: ItemQuery) -> tuple[str, tuple[Any, ...]]:
    clauses: list[str] = []
    args: list[Any] = []
    if q.type_code:
        clauses.append("i.type_code = ?")
        args.append(q.type_code)
    if q.stage_id:
        clauses.append("i.stage_id = ?")
        args.append(q.stage_id)
    if q.responsible_id:
        clauses.append("i.responsible_id = ?")
        args.append(q.responsible_id)
    if q.visible_to is not None:
        clauses.append("(i.responsible_id = ? OR i.responsible_id IS NULL)")
        args.append(q.visible_to)
    if q.open_only:
        clauses.append("i.closed = 0")
    if q.text:
        like = f"%{q.text.lower()}%"
        fields = ["i.title", "c.name", "c.phone", "c.email", "co.name", "co.phone", "co.email"]
        clauses.append("(" + " OR ".join(f"lower({f}) LIKE ?" for f in fields) + ")")
        args.extend([like] * len(fields))
    where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    return where, tuple(args)


def item_from_row(row: Any) -> Item:
    return Item(
        id=row["id"],
        type_code=row["type_code"],
        pipeline_id=row["pipeline_id"],
        stage_id=row["stage_id"],
        title=row["title"],
        amount=from_minor(row["amount_minor"]),
        currency=row["currency"],
        contact_id=row["contact_id"],
        company_id=row["company_id"],
        responsible_id=row["responsible_id"],
        source=row["source"],
        custom=json.loads(row["custom"]),
        closed=bool(row["closed"]),
        version=row["version"],
        created_by=row["created_by"],
        created_at=parse_ts_required(row["created_at"]),
        updated_at=parse_ts_required(row["updated_at"]),
        stage_entered_at=parse_ts_required(row["stage_entered_at"]),
    )


def product_from_row(product_id: int, name: str, price_minor: int, quantity: float) -> Product:
    return Product(id=product_id, name=name, price=from_minor(price_minor) or Decimal(0),
                   quantity=Decimal(str(quantity)))
