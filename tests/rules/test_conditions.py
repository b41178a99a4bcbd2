"""Conditions: typed text to trees and back, and the evaluator's typed comparisons."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from rules.conditions import evaluate, format_condition, parse_condition
from rules.errors import ConditionError
from rules.samples import sample_subject

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", [
    "amount > 15000 and currency = EUR",
    'title contains "relaunch" or amount between 100 and 200',
    "contact.email is empty",
    "source in (web, call) and contact.phone is not empty",
    "(amount >= 10 or amount < 5) and title not contains x",
    "custom.Region not in (Nord, Süd)",
])
def test_typed_conditions_read_back_to_the_same_tree(text: str) -> None:
    tree = parse_condition(text)
    assert parse_condition(format_condition(tree)) == tree


def test_and_binds_tighter_than_or() -> None:
    assert parse_condition("amount = 1 or amount = 2 and currency = X") == {
        "any": [{"field": "item.amount", "op": "=", "value": "1"},
                {"all": [{"field": "item.amount", "op": "=", "value": "2"},
                         {"field": "item.currency", "op": "=", "value": "X"}]}]}


@pytest.mark.parametrize(("text", "reason", "position"), [
    ("amount >", "missing_value", 9),
    ("colour = red", "unknown_field", 1),
    ("amount > lots", "not_a_number", 10),
    ("(amount > 1", "unclosed_parenthesis", 12),
    ('title = "open', "unclosed_quote", 9),
    ("amount between 1 2", "expected_and", 18),
])
def test_wrong_conditions_say_what_and_where(text: str, reason: str, position: int) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(text)
    assert (caught.value.params["reason"], caught.value.params["position"]) == (reason, position)


@pytest.mark.parametrize(("text", "passed"), [
    ("amount > 15000", False),
    ("amount >= 15.000,00", True),
    ("amount between 10000 and 20000", True),
    ("currency = eur", True),
    ("title contains LAUNCH", True),
    ("products contains hosting", True),
    ('contact.name in ("Anna Schmidt", Bob)', True),
    ("company.email is empty", False),
    ("custom.deadline > 2026-12-01", True),
    ("item.created_at < 2026-11-24", True),
    ("amount != 15000 or source = telegram", True),
])
def test_the_evaluator_compares_by_type(text: str, passed: bool) -> None:
    subject = sample_subject(NOW)
    subject.item.custom = {"deadline": "2026-12-24"}
    assert evaluate(parse_condition(text), subject, UTC).passed is passed


def test_every_comparison_is_explained_even_in_an_or() -> None:
    subject = sample_subject(NOW)
    subject.item.amount = Decimal("12000")
    result = evaluate(parse_condition("amount > 15000 or currency = USD"), subject, UTC)
    assert result.passed is False
    assert [(c["actual"], c["passed"]) for c in result.explanation()] == [
        ("12000", False), ("EUR", False)]
