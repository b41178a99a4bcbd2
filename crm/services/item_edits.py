"""Changes to an item made in the caller's unit of work (by hand: ItemEditService; by
automation: rule kinds, in their run's): a field, a product, the
responsible person. Each one is written through the item's version, so a card that still
shows the old values is stale (its buttons move nothing).

- A value that does not fit its field raises InvalidInput(field, value, problem) with the
  InputProblem NOT_A_TITLE, NOT_AN_AMOUNT, FROM_PRODUCTS, NOT_A_CURRENCY, NOT_A_PROBABILITY,
  TOO_LONG or UNKNOWN_FIELD.
- The amount of an item that has products is the sum of its products (price × quantity):
  adding a product sets it, and it cannot be set by hand while there are products.
- Probability (a whole percentage, 0–100) is kept among the custom fields as
  `probability`, so conditions read it as `custom.probability`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from crm.errors import Entity, InputProblem, InvalidInput, NotFound, StaleCard
from crm.events import FieldChanged, ResponsibleChanged
from crm.models import Item, Product
from crm.money import MAX_AMOUNT, parse_money
from crm.service_period import FIELD as SERVICE_DATE
from crm.service_period import parse_service_period
from crm.services.items import MAX_TITLE
from crm.storage.unit_of_work import UnitOfWork
from crm.text import one_line

FIELDS = ("title", "amount", "currency", "probability")
CUSTOM = "custom."
PROBABILITY = "probability"
MAX_CUSTOM = 1000
CENT = Decimal("0.01")
_CUSTOM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,39}")
_MACHINE_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True, slots=True)
class FieldValue:
    """A parsed value for `field` (title, amount, currency, probability or custom.<name>);
    None clears it. `currency` is set when an amount was written with its currency."""

    field: str
    value: str | Decimal | int | None
    currency: str | None = None


def check_field(name: str) -> str:
    if name in FIELDS or (name.startswith(CUSTOM) and _CUSTOM_NAME.fullmatch(name[len(CUSTOM):])):
        return name
    raise InvalidInput(field="field", value=name, problem=InputProblem.UNKNOWN_FIELD)


def parse_value(name: str, text: str, computed: bool = False) -> FieldValue:
    """`text` as a value of field `name`. `computed`: the text came out of a template, so a
    plain `17850.0000` is a number as Python writes it, not a German thousands grouping."""
    field = check_field(name)
    raw = text.strip()
    if field == "title":
        raw = one_line(raw)
        if not raw or len(raw) > MAX_TITLE:
            raise InvalidInput(field=field, value=raw, problem=InputProblem.NOT_A_TITLE)
        return FieldValue(field, raw)
    if field == "amount":
        return _amount(raw, computed)
    if field == "currency":
        if not _CURRENCY.fullmatch(raw.upper()):
            raise InvalidInput(field=field, value=raw, problem=InputProblem.NOT_A_CURRENCY)
        return FieldValue(field, raw.upper())
    if field == PROBABILITY:
        return FieldValue(field, _probability(raw))
    if field == CUSTOM + SERVICE_DATE:  # kept as ISO 8601, read by documents; - clears
        if raw in ("", "-"):
            return FieldValue(field, None)
        period = parse_service_period(raw)
        if period is None:
            raise InvalidInput(field=SERVICE_DATE, value=raw[:40],
                               problem=InputProblem.NOT_A_SERVICE_DATE)
        return FieldValue(field, period.stored)
    if len(raw) > MAX_CUSTOM:
        raise InvalidInput(field=field, value=raw[:40], problem=InputProblem.TOO_LONG)
    return FieldValue(field, raw or None)


def parse_amount(text: str, computed: bool = False) -> Decimal:
    """A price or amount, rounded to cents; raises InvalidInput (NOT_AN_AMOUNT)."""
    value = _amount(text.strip(), computed).value
    if value is None:
        raise InvalidInput(field="amount", value=text, problem=InputProblem.NOT_AN_AMOUNT)
    assert isinstance(value, Decimal)
    return value


async def update_field(uow: UnitOfWork, item_id: int, change: FieldValue,
                       now: datetime, by_user_id: int | None = None) -> Item:
    """Sets the field; a new value raises FieldChanged (triggers, in this transaction)."""
    item = await _item(uow, item_id)
    before = field_text(item, change.field)
    if change.field == "title":
        item.title = str(change.value)
    elif change.field == "amount":
        if item.products:
            raise InvalidInput(field="amount", value=str(change.value),
                               problem=InputProblem.FROM_PRODUCTS)
        assert change.value is None or isinstance(change.value, Decimal)  # as _amount makes it
        item.amount = change.value
        item.currency = change.currency or item.currency
    elif change.field == "currency":
        item.currency = str(change.value)
    else:
        key = PROBABILITY if change.field == PROBABILITY else change.field[len(CUSTOM):]
        if change.value is None:
            item.custom.pop(key, None)
        else:
            item.custom[key] = change.value
    saved = await _save(uow, item, now)
    await _changed(uow, saved, change.field, before, by_user_id, now)
    return saved


async def add_product(uow: UnitOfWork, item_id: int, product: Product, now: datetime) -> Item:
    """Adds the product; the item's amount becomes the sum of all its products."""
    item = await _item(uow, item_id)
    before = field_text(item, "amount")
    total = sum((p.total for p in item.products), Decimal(0)) + product.total
    if total > MAX_AMOUNT:
        raise InvalidInput(field="amount", value=str(total), problem=InputProblem.NOT_AN_AMOUNT)
    await uow.items.add_product(item.id, product)
    item.products.append(product)
    item.amount = total.quantize(CENT, rounding=ROUND_HALF_UP)
    saved = await _save(uow, item, now)
    await _changed(uow, saved, "amount", before, None, now)
    return saved


def field_text(item: Item, name: str) -> str | None:
    """A field's value as text, as FieldChanged carries it (None: empty)."""
    if name in ("title", "amount", "currency"):
        value: object = getattr(item, name)
    else:
        value = item.custom.get(PROBABILITY if name == PROBABILITY else name[len(CUSTOM):])
    return None if value is None or value == "" else str(value)


async def _changed(uow: UnitOfWork, item: Item, name: str, before: str | None,
                   by_user_id: int | None, now: datetime) -> None:
    after = field_text(item, name)
    if after != before:
        await uow.publish(FieldChanged(item.id, name, before, after, by_user_id, now))


async def assign(uow: UnitOfWork, item_id: int, user_id: int, now: datetime,
                 by_user_id: int | None = None) -> Item:
    """Makes `user_id` responsible; `by_user_id` None: automation did. A new responsible
    person raises ResponsibleChanged (its subscribers tell them, in this transaction)."""
    item = await _item(uow, item_id)
    previous, version = item.responsible_id, item.version
    item.responsible_id = user_id
    saved = await _save(uow, item, now)
    if previous != user_id:
        await uow.publish(ResponsibleChanged(item.id, item.title, user_id, previous,
                                             by_user_id, now, version))
    return saved


async def _item(uow: UnitOfWork, item_id: int) -> Item:
    item = await uow.items.get(item_id)
    if item is None:
        raise NotFound(what=Entity.ITEM, ref=item_id)
    return item


async def _save(uow: UnitOfWork, item: Item, now: datetime) -> Item:
    item.updated_at = now
    if not await uow.items.save(item, item.version):
        raise StaleCard(item_id=item.id)
    return item


def _amount(raw: str, computed: bool) -> FieldValue:
    if not raw:
        return FieldValue("amount", None)
    currency = None
    try:
        if computed and _MACHINE_NUMBER.fullmatch(raw):
            amount = Decimal(raw)
        else:
            money = parse_money(raw)
            amount, currency = money.amount, money.currency
    except (InvalidInput, InvalidOperation) as exc:
        raise InvalidInput(field="amount", value=raw, problem=InputProblem.NOT_AN_AMOUNT) from exc
    if amount < 0 or amount > MAX_AMOUNT:
        raise InvalidInput(field="amount", value=raw, problem=InputProblem.NOT_AN_AMOUNT)
    return FieldValue("amount", amount.quantize(CENT, rounding=ROUND_HALF_UP), currency)


def _probability(raw: str) -> int:
    try:
        number = Decimal(raw.removesuffix("%").strip().replace(",", "."))
    except InvalidOperation as exc:
        raise InvalidInput(field=PROBABILITY, value=raw,
                           problem=InputProblem.NOT_A_PROBABILITY) from exc
    if not number.is_finite() or number != number.to_integral_value() or not 0 <= number <= 100:
        raise InvalidInput(field=PROBABILITY, value=raw, problem=InputProblem.NOT_A_PROBABILITY)
    return int(number)
