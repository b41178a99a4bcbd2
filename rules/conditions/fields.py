"""The fields a condition may name, their types, and how to read them from a Subject."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

from rules.conditions.labels import from_label, label
from rules.context import Subject


class FieldType(enum.StrEnum):
    NUMBER = "number"
    TEXT = "text"
    DATE = "date"
    LIST = "list"  # a list of texts, e.g. product names
    AUTO = "auto"  # custom fields: typed by what they hold


def _attr(owner: str, name: str) -> Callable[[Subject], Any]:
    def read(subject: Subject) -> Any:
        record = getattr(subject, owner)
        return None if record is None else getattr(record, name)

    return read


def _created_by_responsible(subject: Subject) -> str:
    responsible = subject.responsible
    mine = responsible is not None and subject.item.created_by == responsible.user_id
    return "yes" if mine else "no"


FIELDS: dict[str, tuple[FieldType, Callable[[Subject], Any]]] = {
    "item.title": (FieldType.TEXT, _attr("item", "title")),
    "item.amount": (FieldType.NUMBER, _attr("item", "amount")),
    "item.currency": (FieldType.TEXT, _attr("item", "currency")),
    "item.source": (FieldType.TEXT, _attr("item", "source")),
    "item.lost_reason": (FieldType.TEXT, _attr("item", "lost_reason")),  # by hand only
    "item.created_at": (FieldType.DATE, _attr("item", "created_at")),
    "item.stage_entered_at": (FieldType.DATE, _attr("item", "stage_entered_at")),
    "item.products": (FieldType.LIST, lambda s: [p.name for p in s.item.products]),
    "contact.name": (FieldType.TEXT, _attr("contact", "name")),
    "contact.phone": (FieldType.TEXT, _attr("contact", "phone")),
    "contact.email": (FieldType.TEXT, _attr("contact", "email")),
    "contact.language": (FieldType.TEXT, _attr("contact", "language")),
    # whether the client has written to the bot (so a message can reach them)
    "contact.telegram": (FieldType.TEXT, _attr("contact", "tg_chat_id")),
    "company.name": (FieldType.TEXT, _attr("company", "name")),
    "company.phone": (FieldType.TEXT, _attr("company", "phone")),
    "company.email": (FieldType.TEXT, _attr("company", "email")),
    "responsible.name": (FieldType.TEXT, _attr("responsible", "name")),
    "previous_stage.code": (FieldType.TEXT, _attr("previous_stage", "code")),
    # "yes" when the responsible person created the item: the shipped "new deal" rule tells
    # nobody of their own new item
    "item.created_by_responsible": (FieldType.TEXT, _created_by_responsible),
}
CUSTOM = "item.custom."


def canonical_field(name: str) -> str | None:
    """The canonical name of what a user typed, or None when no such field exists.

    `amount` means `item.amount` and `custom.x` means `item.custom.x`, so typed conditions
    stay short; a label in either language (`Betrag`, `Kontaktname`) means its field; custom
    field names keep their case, everything else is case-insensitive.
    """
    text = name.strip()
    lower = text.lower()
    for candidate in (lower, f"item.{lower}"):
        if candidate in FIELDS:
            return candidate
    for prefix in (CUSTOM, "custom."):
        if lower.startswith(prefix) and len(text) > len(prefix):
            return CUSTOM + text[len(prefix):]
    return from_label(text)


def field_type(name: str) -> FieldType:
    return FieldType.AUTO if name.startswith(CUSTOM) else FIELDS[name][0]


def field_value(subject: Subject, name: str) -> Any:
    if name.startswith(CUSTOM):
        return subject.item.custom.get(name[len(CUSTOM):])
    return FIELDS[name][1](subject)


def short_name(name: str) -> str:
    """How a field is written back to users: item fields without their `item.` prefix."""
    return name[len("item."):] if name.startswith("item.") else name


def field_label(name: str, language: str) -> str:
    """How a field is written back to users in `language`: `Betrag`, `amount`, `custom.x`."""
    return short_name(name) if name.startswith(CUSTOM) else label(name, language)
