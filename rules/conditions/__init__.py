"""Conditions of rules: our own small typed evaluator and a parser for typed text."""

from rules.conditions.evaluator import Check, Evaluation, evaluate
from rules.conditions.fields import FIELDS, FieldType, canonical_field
from rules.conditions.operators import OPERATORS
from rules.conditions.parser import parse_condition
from rules.conditions.tree import format_condition, validate_tree

__all__ = [
    "FIELDS",
    "OPERATORS",
    "Check",
    "Evaluation",
    "FieldType",
    "canonical_field",
    "evaluate",
    "format_condition",
    "parse_condition",
    "validate_tree",
]
