"""A made-up item with everything filled in: templates are rendered against it when a rule
is saved, so that a typo fails then and not when a client should get the message."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from crm.models import Company, Contact, Item, Product, Role, Staff, Stage, StageKind
from rules.context import Subject


class SampleCustom(dict[str, Any]):
    """Custom fields are free-form: any name a template asks for has a sample value."""

    def __missing__(self, key: str) -> str:
        return "2026-12-24"


def sample_subject(now: datetime) -> Subject:
    item = Item(
        id=1, type_code="deal", pipeline_id=1, stage_id=1, title="Website relaunch",
        amount=Decimal("15000.00"), currency="EUR", contact_id=1, company_id=1,
        responsible_id=1, source="telegram", custom=SampleCustom(), closed=False, version=1,
        created_by=1, created_at=now, updated_at=now, stage_entered_at=now,
        products=[Product("Design", Decimal("5000.00"), Decimal(2), 1),
                  Product("Hosting", Decimal("5000.00"), Decimal(1), 2)],
    )
    stage = Stage(1, 1, "new", "New", "Neu", StageKind.PROGRESS, 1)
    return Subject(
        item=item, stage=stage, previous_stage=stage,
        contact=Contact(1, "Anna Schmidt", "+49 30 123456", "anna@example.org", 1, "anna",
                        "de", 1),
        company=Company(1, "ACME GmbH", "+49 30 654321", "info@acme.example"),
        responsible=Staff(1, "Max Mustermann", Role.SALES, username="max"),
    )
