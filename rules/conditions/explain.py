"""A condition's evaluation in words, in the reader's language and with the fields' labels:
"Betrag 12.000 ≤ 15.000", "Quelle ist Telegram", "Verantwortlich ist leer".

A failed comparison is shown as the relation that does hold, so the reader sees at once
why the rule did not run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from crm.i18n import N_, babel_locale, translate
from rules.conditions.fields import canonical_field, field_label
from rules.conditions.labels import VALUE_LABELS
from rules.conditions.operators import to_number

_HOLDS = {"=": "=", "!=": "≠", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}
_FAILS = {"=": "≠", "!=": "=", ">": "≤", ">=": "<", "<": "≥", "<=": ">"}
_WORDS = {
    ("contains", True): N_("contains"),
    ("contains", False): N_("does not contain"),
    ("not_contains", True): N_("does not contain"),
    ("not_contains", False): N_("contains"),
    ("in", True): N_("is one of"),
    ("in", False): N_("is none of"),
    ("not_in", True): N_("is none of"),
    ("not_in", False): N_("is one of"),
    ("between", True): N_("is between"),
    ("between", False): N_("is not between"),
    ("empty", True): N_("is empty"),
    ("empty", False): N_("is not empty"),
    ("not_empty", True): N_("is not empty"),
    ("not_empty", False): N_("is empty"),
}
EMPTY = N_("(empty)")
AND = N_(" and ")
IS = N_("{field} is {value}")
IS_OTHER = N_("{field} is {actual}, not {value}")
# Yes/no facts read as a sentence about the item, not as "<field> is yes, not no".
FACTS = {
    "item.created_by_responsible": {
        "yes": N_("the responsible person created it themselves"),
        "no": N_("someone other than the responsible person created it"),
    },
}


def explain_checks(checks: list[dict[str, Any]], language: str, only_failed: bool = True) -> str:
    shown = [c for c in checks if not (only_failed and c.get("passed"))] or checks
    return ", ".join(explain(check, language) for check in shown)


def explain(check: dict[str, Any], language: str) -> str:
    op, passed = str(check["op"]), bool(check["passed"])
    name = canonical_field(str(check["field"])) or str(check["field"])
    field = field_label(name, language)
    shown_values = VALUE_LABELS.get(name, {})
    actual = _value(check.get("actual"), language, shown_values)
    if op in ("empty", "not_empty"):
        return f"{field} {translate(_WORDS[(op, passed)], language)}"
    fact = FACTS.get(name, {}).get(str(check.get("actual")).casefold())
    if fact is not None and op in ("=", "!="):
        return translate(fact, language)
    if op in ("=", "!="):
        value = _value(check.get("expected"), language, shown_values)
        if (op == "=") == passed:  # the values are equal
            return translate(IS, language, field=field, value=value)
        return translate(IS_OTHER, language, field=field, actual=actual, value=value)
    if op in _HOLDS:
        relation = (_HOLDS if passed else _FAILS)[op]
        return f"{field} {actual} {relation} {_value(check['expected'], language)}"
    expected = check.get("expected")
    if op == "between" and isinstance(expected, list):
        shown = translate(AND, language).join(_value(v, language) for v in expected)
    elif isinstance(expected, list):
        shown = "(" + ", ".join(_value(v, language) for v in expected) + ")"
    else:
        shown = _value(expected, language)
    return f"{field} {actual} {translate(_WORDS[(op, passed)], language)} {shown}"


def _value(value: Any, language: str, labels: dict[str, str] | None = None) -> str:
    if value is None or value == "" or value == []:
        return translate(EMPTY, language)
    if isinstance(value, list):
        return ", ".join(_value(v, language, labels) for v in value)
    if labels and str(value).casefold() in labels:
        return translate(labels[str(value).casefold()], language)
    number = to_number(value) if isinstance(value, str | int | float | Decimal) else None
    if number is not None and str(value).replace(".", "").replace("-", "").isdigit():
        return str(format_decimal(number, locale=babel_locale(language)))
    return str(value)
