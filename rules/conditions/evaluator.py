"""Evaluates a condition tree against a Subject, explaining every comparison it made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, tzinfo
from decimal import Decimal
from typing import Any

from rules.conditions.fields import field_type, field_value, short_name
from rules.conditions.operators import holds
from rules.context import Subject


@dataclass(frozen=True, slots=True)
class Check:
    """One comparison: the UI renders e.g. "amount 12 000 ≤ 15 000" from it."""

    field: str
    actual: Any
    op: str
    expected: Any
    passed: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form, stored with a skipped run."""
        return {"field": short_name(self.field), "actual": _plain(self.actual), "op": self.op,
                "expected": self.expected, "passed": self.passed}


@dataclass(frozen=True, slots=True)
class Evaluation:
    passed: bool
    checks: tuple[Check, ...] = ()

    def explanation(self) -> list[dict[str, Any]]:
        return [check.as_dict() for check in self.checks]


def evaluate(tree: dict[str, Any] | None, subject: Subject, tz: tzinfo = UTC) -> Evaluation:
    """Every leaf is evaluated (no short cut), so the explanation is complete for `any`."""
    if not tree:
        return Evaluation(True)
    checks: list[Check] = []
    return Evaluation(_node(tree, subject, tz, checks), tuple(checks))


def _node(node: dict[str, Any], subject: Subject, tz: tzinfo, checks: list[Check]) -> bool:
    if "field" in node:
        name, op, expected = node["field"], node["op"], node.get("value")
        actual = field_value(subject, name)
        passed = holds(field_type(name), actual, op, expected, tz)
        checks.append(Check(name, actual, op, expected, passed))
        return passed
    key, children = next(iter(node.items()))
    results = [_node(child, subject, tz, checks) for child in children]
    return all(results) if key == "all" else any(results)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
