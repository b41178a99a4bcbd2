"""What a webhook sends: the item with its stage, products, contact, company and responsible
person as JSON, and the HMAC-SHA256 signature of exactly those bytes.

Receivers check `X-CRM-Signature: sha256=<hex>` = HMAC-SHA256(secret, raw body) and may use
`X-CRM-Delivery` (one value per rule run) to ignore a repeated delivery.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from crm.models import Company, Contact, Product, Staff, Stage
from rules.context import Subject

SIGNATURE_HEADER = "X-CRM-Signature"
DELIVERY_HEADER = "X-CRM-Delivery"
EVENT = "item.rule"
CENT = Decimal("0.01")


def body_of(subject: Subject, now: datetime, rule_title: str = "") -> str:
    item = subject.item
    data = {
        "event": EVENT, "sent_at": now.isoformat(), "rule": rule_title or None,
        "item": {
            "id": item.id, "type": item.type_code, "pipeline_id": item.pipeline_id,
            "title": item.title, "amount": _money(item.amount), "currency": item.currency,
            "source": item.source, "custom": item.custom, "closed": item.closed,
            "created_at": item.created_at.isoformat(),
            "updated_at": item.updated_at.isoformat(),
            "stage_entered_at": item.stage_entered_at.isoformat(),
            "products": [_product(p) for p in item.products],
        },
        "stage": _stage(subject.stage), "previous_stage": _stage(subject.previous_stage),
        "contact": _contact(subject.contact), "company": _company(subject.company),
        "responsible": _staff(subject.responsible),
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def signature(secret: str, body: str) -> str:
    digest = hmac.new(secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(CENT))


def _product(product: Product) -> dict[str, Any]:
    return {"name": product.name, "price": _money(product.price),
            "quantity": format(product.quantity.normalize(), "f"),
            "total": _money(product.total)}


def _stage(stage: Stage | None) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {"id": stage.id, "code": stage.code, "name": stage.name_en, "name_de": stage.name_de,
            "kind": stage.kind.value}


def _contact(contact: Contact | None) -> dict[str, Any] | None:
    if contact is None:
        return None
    return {"id": contact.id, "name": contact.name, "phone": contact.phone,
            "email": contact.email, "telegram_username": contact.tg_username,
            "language": contact.language, "company_id": contact.company_id}


def _company(company: Company | None) -> dict[str, Any] | None:
    if company is None:
        return None
    return {"id": company.id, "name": company.name, "phone": company.phone,
            "email": company.email}


def _staff(staff: Staff | None) -> dict[str, Any] | None:
    if staff is None:
        return None
    return {"id": staff.user_id, "name": staff.name, "username": staff.username}
