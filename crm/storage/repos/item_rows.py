"""Reading items: a row as an Item or Product (lists and searches: item_lists)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from crm.models import Item, Product
from crm.storage.codec import from_minor, parse_ts_required


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
        lost_reason=row["lost_reason"],
        stages_reached=stages_reached(row["stages_reached"]),
    )


def stages_reached(stored: str | None) -> frozenset[int]:
    """The ',3,5,9,' the history keeps on the item (migration 015), as stage ids."""
    return frozenset(int(part) for part in stored.split(",") if part) if stored else frozenset()


def product_from_row(product_id: int, name: str, price_minor: int, quantity: float) -> Product:
    return Product(id=product_id, name=name, price=from_minor(price_minor) or Decimal(0),
                   quantity=Decimal(str(quantity)))
