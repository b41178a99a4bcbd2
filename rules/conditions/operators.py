"""Typed comparison: numbers as Decimal, texts case-insensitively, dates as dates."""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Any

from crm.errors import InvalidAmount
from crm.money import parse_money
from rules.conditions.fields import FieldType
from rules.errors import ConditionError

COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}
NEGATED = {"!=": "=", "not_contains": "contains", "not_in": "in"}
UNARY = frozenset({"empty", "not_empty"})
LIST_OPS = frozenset({"in", "not_in"})
OPERATORS = frozenset({*COMPARE, *NEGATED, *UNARY, *LIST_OPS, "contains", "between"})


def to_number(value: Any) -> Decimal | None:
    """A Decimal, or None when the value is not a number (amounts as salespeople type them)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip()
    try:
        number = Decimal(text.replace(" ", ""))
        return number if number.is_finite() else None
    except InvalidOperation:
        pass
    try:
        return parse_money(text).amount
    except InvalidAmount:
        return None


def to_moment(value: Any, tz: tzinfo) -> date | None:
    """A date or an aware datetime (a datetime is a date too), or None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def to_text(value: Any) -> str:
    return str(value).strip().casefold()


def is_empty(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not value
    return value is None


def holds(kind: FieldType, actual: Any, op: str, expected: Any, tz: tzinfo) -> bool:
    """Whether `actual op expected` holds. A missing value satisfies only the negations."""
    if op in UNARY:
        return is_empty(actual) == (op == "empty")
    if op in NEGATED:
        return not holds(kind, actual, NEGATED[op], expected, tz)
    if is_empty(actual):
        return False
    if kind is FieldType.LIST:
        return any(holds(FieldType.TEXT, element, op, expected, tz) for element in actual)
    if op == "contains":
        return to_text(expected) in to_text(actual)
    if op == "in":
        return any(holds(kind, actual, "=", choice, tz) for choice in expected)
    if op == "between":
        low, high = expected
        return holds(kind, actual, ">=", low, tz) and holds(kind, actual, "<=", high, tz)
    left, right = _typed(kind, actual, expected, tz)
    return COMPARE[op](left, right)


def _typed(kind: FieldType, actual: Any, expected: Any, tz: tzinfo) -> tuple[Any, Any]:
    if kind in (FieldType.NUMBER, FieldType.AUTO):
        left, right = to_number(actual), to_number(expected)
        if right is None and kind is FieldType.NUMBER:
            raise ConditionError(field="condition", value=expected, reason="not_a_number",
                                 position=0, token=str(expected))
        if left is not None and right is not None:
            return left, right
    if kind in (FieldType.DATE, FieldType.AUTO):
        left_moment, right_moment = to_moment(actual, tz), to_moment(expected, tz)
        if right_moment is None and kind is FieldType.DATE:
            raise ConditionError(field="condition", value=expected, reason="not_a_date",
                                 position=0, token=str(expected))
        if left_moment is not None and right_moment is not None:
            return _same_grain(left_moment, right_moment, tz)
    return to_text(actual), to_text(expected)


def _same_grain(left: date, right: date, tz: tzinfo) -> tuple[date, date]:
    """Compares a datetime with a plain date by the datetime's local calendar day."""
    if isinstance(left, datetime) and isinstance(right, datetime):
        return left, right
    as_day = [m.astimezone(tz).date() if isinstance(m, datetime) else m for m in (left, right)]
    return as_day[0], as_day[1]
