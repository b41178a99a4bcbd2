"""A condition's evaluation in words: "amount 12.000 ≤ 15.000", in the reader's language.

A failed comparison is shown as the relation that does hold, so the reader sees at once
why the rule did not run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from rules.conditions.operators import to_number
from rules.texts import Bilingual

_HOLDS = {"=": "=", "!=": "≠", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}
_FAILS = {"=": "≠", "!=": "=", ">": "≤", ">=": "<", "<": "≥", "<=": ">"}
_WORDS = {
    ("contains", True): Bilingual("contains", "enthält"),
    ("contains", False): Bilingual("does not contain", "enthält nicht"),
    ("not_contains", True): Bilingual("does not contain", "enthält nicht"),
    ("not_contains", False): Bilingual("contains", "enthält"),
    ("in", True): Bilingual("is one of", "ist eines von"),
    ("in", False): Bilingual("is none of", "ist keines von"),
    ("not_in", True): Bilingual("is none of", "ist keines von"),
    ("not_in", False): Bilingual("is one of", "ist eines von"),
    ("between", True): Bilingual("is between", "liegt zwischen"),
    ("between", False): Bilingual("is not between", "liegt nicht zwischen"),
    ("empty", True): Bilingual("is empty", "ist leer"),
    ("empty", False): Bilingual("is not empty", "ist nicht leer"),
    ("not_empty", True): Bilingual("is not empty", "ist nicht leer"),
    ("not_empty", False): Bilingual("is empty", "ist leer"),
}
EMPTY = Bilingual("(empty)", "(leer)")
AND = Bilingual(" and ", " und ")


def explain_checks(checks: list[dict[str, Any]], language: str, only_failed: bool = True) -> str:
    shown = [c for c in checks if not (only_failed and c.get("passed"))] or checks
    return ", ".join(explain(check, language) for check in shown)


def explain(check: dict[str, Any], language: str) -> str:
    op, passed = str(check["op"]), bool(check["passed"])
    actual = _value(check.get("actual"), language)
    if op in ("empty", "not_empty"):
        return f"{check['field']} {_WORDS[(op, passed)].get(language)}"
    if op in _HOLDS:
        relation = (_HOLDS if passed else _FAILS)[op]
        return f"{check['field']} {actual} {relation} {_value(check['expected'], language)}"
    expected = check.get("expected")
    if op == "between" and isinstance(expected, list):
        shown = AND.get(language).join(_value(v, language) for v in expected)
    elif isinstance(expected, list):
        shown = "(" + ", ".join(_value(v, language) for v in expected) + ")"
    else:
        shown = _value(expected, language)
    return f"{check['field']} {actual} {_WORDS[(op, passed)].get(language)} {shown}"


def _value(value: Any, language: str) -> str:
    if value is None or value == "" or value == []:
        return EMPTY.get(language)
    if isinstance(value, list):
        return ", ".join(_value(v, language) for v in value)
    number = to_number(value) if isinstance(value, str | int | float | Decimal) else None
    if number is not None and str(value).replace(".", "").replace("-", "").isdigit():
        return str(format_decimal(number, locale=language))
    return str(value)
