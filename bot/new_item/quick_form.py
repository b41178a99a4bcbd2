"""The one-line form: `/new deal Website relaunch; 15.000 EUR; Anna Schmidt`."""

from __future__ import annotations

from dataclasses import dataclass

from crm.models import EntityType
from crm.money import Money, parse_money


@dataclass(slots=True)
class QuickItem:
    entity_type: EntityType
    title: str
    money: Money | None
    contact_name: str | None


def find_type(types: list[EntityType], word: str) -> EntityType | None:
    word = word.strip().lower()
    for entity_type in types:
        if word in (entity_type.code, entity_type.name_en.lower(), entity_type.name_de.lower()):
            return entity_type
    return None


def parse_quick(text: str, types: list[EntityType]) -> QuickItem | None:
    """None when the text is not a quick form at all (no known type or no title).
    A bad amount raises InvalidAmount, so the user learns which part was wrong."""
    head, _sep, rest = text.strip().partition(" ")
    entity_type = find_type(types, head)
    if entity_type is None:
        return None
    parts = [p.strip() for p in rest.split(";")]
    title = parts[0] if parts else ""
    if not title:
        return None
    amount = parse_money(parts[1]) if len(parts) > 1 and parts[1] else None
    contact = parts[2] if len(parts) > 2 and parts[2] else None
    return QuickItem(entity_type, title, amount, contact)
