"""The lines and totals a document prints: the item's products (or its amount as one line),
net, tax at the configured rate, gross. Amounts on items are net."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from crm.models import Item

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Line:
    position: int
    name: str
    quantity: Decimal
    price: Decimal
    total: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    lines: list[Line]
    net: Decimal
    tax_rate: Decimal
    tax: Decimal
    gross: Decimal


def totals_of(item: Item, tax_rate: Decimal) -> Totals:
    lines = [Line(n, p.name, p.quantity, p.price, _cents(p.total))
             for n, p in enumerate(item.products, start=1)]
    if not lines and item.amount is not None:
        lines = [Line(1, item.title, Decimal(1), item.amount, _cents(item.amount))]
    net = _cents(sum((line.total for line in lines), Decimal(0)))
    tax = _cents(net * tax_rate / 100)
    return Totals(lines, net, tax_rate, tax, net + tax)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
