"""Condition trees as stored: validation (for trees from YAML or the database) and the text
form shown to users, which the parser reads back to the same tree."""

from __future__ import annotations

import re
from datetime import UTC
from typing import Any

from rules.conditions.fields import FieldType, canonical_field, field_label, field_type
from rules.conditions.labels import KEYWORDS_DE, value_code, value_word, words
from rules.conditions.operators import LIST_OPS, OPERATORS, UNARY, to_moment, to_number
from rules.errors import ConditionError

MAX_DEPTH = 8
MAX_LEAVES = 40
KEYWORDS = frozenset({"and", "or", "not", "is", "empty", "contains", "in", "between",
                      *KEYWORDS_DE})
_BARE = re.compile(r"[^\s()<>=!,\"'“”„‘’≥≤≠]+")


def _bad(reason: str, value: Any, token: str = "", position: int = 0) -> ConditionError:
    return ConditionError(field="condition", value=str(value), reason=reason,
                          position=position, token=token)


def validate_tree(tree: Any) -> dict[str, Any] | None:
    """The tree in canonical form (groups at the top, canonical field names, values as
    text), or None for "always"; raises ConditionError naming the first problem."""
    if not tree:
        return None
    if not isinstance(tree, dict):
        raise _bad("bad_tree", tree)
    if "field" in tree:
        tree = {"all": [tree]}
    result = _node(tree, 1, [])
    while "field" not in result:  # `all: [any: [...]]` is just the inner group
        (children,) = result.values()
        if len(children) != 1 or "field" in children[0]:
            break
        result = children[0]
    (children,) = result.values()
    return {"all": children} if len(children) == 1 else result


def _node(node: Any, depth: int, leaves: list[int]) -> dict[str, Any]:
    if not isinstance(node, dict) or depth > MAX_DEPTH:
        raise _bad("bad_tree", node)
    if "field" in node:
        leaves.append(1)
        if len(leaves) > MAX_LEAVES:
            raise _bad("bad_tree", "too many comparisons")
        return _leaf(node)
    if len(node) != 1 or next(iter(node)) not in ("all", "any"):
        raise _bad("bad_tree", node)
    key, children = next(iter(node.items()))
    if not isinstance(children, list) or not children:
        raise _bad("bad_tree", node)
    flat: list[dict[str, Any]] = []
    for child in (_node(c, depth + 1, leaves) for c in children):
        inner = None if "field" in child else next(iter(child.items()))
        # `a and (b and c)` and one-member groups say no more than their members
        if inner is not None and (inner[0] == key or len(inner[1]) == 1):
            flat.extend(inner[1])
        else:
            flat.append(child)
    return {key: flat}


def _leaf(node: dict[str, Any]) -> dict[str, Any]:
    if set(node) - {"field", "op", "value"}:
        raise _bad("bad_tree", node)
    name = canonical_field(str(node["field"]))
    if name is None:
        raise _bad("unknown_field", node["field"], str(node["field"]))
    op = node.get("op")
    if op not in OPERATORS:
        raise _bad("expected_operator", op, str(op))
    return {"field": name, "op": op, "value": check_value(name, op, node.get("value"))}


def check_value(name: str, op: str, value: Any, position: int = 0) -> Any:
    """The value in stored form for `name op value`; numbers and dates must parse."""
    if op in UNARY:
        return None
    if op in LIST_OPS or op == "between":
        values = value if isinstance(value, list) else [value]
        if not values or (op == "between" and len(values) != 2):
            raise _bad("missing_value", value, position=position)
        return [_scalar(name, v, position) for v in values]
    return _scalar(name, value, position)


def _scalar(name: str, value: Any, position: int) -> str:
    if value is None or isinstance(value, dict | list) or str(value).strip() == "":
        raise _bad("missing_value", value, position=position)
    text = str(value).strip()
    kind = field_type(name)
    if kind is FieldType.NUMBER and to_number(text) is None:
        raise _bad("not_a_number", text, text, position)
    if kind is FieldType.DATE and to_moment(text, UTC) is None:
        raise _bad("not_a_date", text, text, position)
    return value_code(name, text)


def format_condition(tree: dict[str, Any] | None, language: str = "en") -> str:
    """`amount > 15000 and (source in (web, call) or title contains "relaunch")`; in German
    `Betrag > 15000 und (Quelle in (web, call) oder Titel enthält "relaunch")`. Either reads
    back to the same tree; rules files keep the English."""
    return _format(tree, True, words(language), language) if tree else ""


def _format(node: dict[str, Any], top: bool, said: dict[str, str], language: str) -> str:
    if "field" in node:
        return _format_leaf(node, said, language)
    key, children = next(iter(node.items()))
    joiner = f" {said['and']} " if key == "all" else f" {said['or']} "
    text = joiner.join(_format(c, False, said, language) for c in children)
    return text if top or len(children) == 1 else f"({text})"


def _format_leaf(node: dict[str, Any], said: dict[str, str], language: str) -> str:
    op, value, name = node["op"], node["value"], node["field"]
    head = f"{field_label(name, language)} {said.get(op, op)}"
    if op in UNARY:
        return head

    def shown(one: Any) -> str:
        return quote(value_word(name, one, language))

    if op in LIST_OPS:
        return f"{head} ({', '.join(shown(v) for v in value)})"
    if op == "between":
        return f"{head} {shown(value[0])} {said['and']} {shown(value[1])}"
    return f"{head} {shown(value)}"


def quote(value: Any) -> str:
    text = str(value)
    if _BARE.fullmatch(text) and text.lower() not in KEYWORDS:
        return text
    return f"'{text}'" if '"' in text else f'"{text}"'

