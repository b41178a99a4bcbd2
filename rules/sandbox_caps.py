"""How big a value a template operation would build, checked before the operation runs.

The rule: no single operation may build a text or collection beyond MAX_TEXT, an integer
wider than MAX_INT_BITS or a field wider than MAX_WIDTH. Where the result could be huge from
small inputs (a width, a repetition count, an exponent, `replace`, `join` of a repeated
list) the size is estimated from the operands first; where it is at most the size of the
inputs, the result is checked after (`check_size`), so growth cannot compound. What slips
past these is ended by the worker's memory limit and hard timeout (render_worker.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from jinja2.exceptions import SecurityError

MAX_TEXT = 1_000_000  # characters or items one operation may build (a document is 1 MB)
MAX_WIDTH = 1_000  # a field width, precision, padding or indent
MAX_INT_BITS = 4_096  # ~1,230 digits: beyond any count or amount, and cheap to compute
MAX_DIGITS = 1_200  # the same for a Decimal's exponent (int() of 1E+999999 takes minutes)
MAX_EXPONENT = 64

_PRINTF = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<type>.)", re.S)
_SPEC = re.compile(r"(?:.?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d+))?"
                   r"[a-zA-Z%]?", re.S)


class TooLarge(SecurityError):
    """The template would build a value beyond the caps."""


def check_width(value: Any) -> None:
    if isinstance(value, int) and value > MAX_WIDTH:
        raise TooLarge("field width too large")


def check_total(size: int, what: str = "text") -> None:
    if size > MAX_TEXT:
        raise TooLarge(f"{what} of {size} characters too large")


def check_size(value: Any) -> Any:
    """`value`, unless it is beyond the caps (for results no bigger than their inputs)."""
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
        check_total(len(value))
    elif isinstance(value, Decimal):
        check_decimal(value)
    return value


def check_decimal(value: Any) -> None:
    if isinstance(value, Decimal) and value.is_finite() and abs(value.adjusted()) > MAX_DIGITS:
        raise TooLarge("number too large")


def weight(value: Any, memo: dict[int, int] | None = None) -> int:
    """About how many characters `value` prints as; shared parts are counted once each time
    they appear, which is what printing does (`[s] * 1000` prints `s` a thousand times)."""
    memo = {} if memo is None else memo
    if isinstance(value, str | bytes):
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    if not isinstance(value, list | tuple | dict | set | frozenset):
        return 1
    key = id(value)
    if key not in memo:
        memo[key] = 0  # a structure that contains itself counts once
        items = [*value, *value.values()] if isinstance(value, dict) else value
        memo[key] = sum(weight(item, memo) + 2 for item in items)
    return memo[key]


def check_int_operands(operator: str, left: int, right: int) -> None:
    if max(left.bit_length(), right.bit_length()) > MAX_INT_BITS:
        raise TooLarge("number too large")
    if operator == "*" and left.bit_length() + right.bit_length() > MAX_INT_BITS:
        raise TooLarge("number too large")
    if operator == "**" and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
        raise TooLarge("number too large")


def check_integral(value: Any) -> None:
    """`int(value)` stays cheap (a Decimal with a huge exponent would take minutes)."""
    check_decimal(value)


def check_printf(text: str, args: Any) -> None:
    """`text % args`: widths (also `*` ones taken from `args`) and the total size."""
    values = list(args) if isinstance(args, tuple) else [args]
    index, total = 0, len(text)
    for match in _PRINTF.finditer(text):
        if match["type"] == "%":
            continue
        for part in ("width", "precision"):
            spec = match[part]
            if spec == "*":
                check_width(values[index] if index < len(values) else 0)
                index += 1
            elif spec:
                check_width(int(spec) if len(spec) < 7 else MAX_WIDTH + 1)
        if match["key"] is not None:
            value = args.get(match["key"]) if isinstance(args, Mapping) else None
        else:
            value = values[index] if index < len(values) else None
            index += 1
        if match["type"] in "diouxXc":
            check_integral(value)
        total += weight(value)
    check_total(total)


def check_spec(spec: str) -> None:
    """A `format` field spec: width and precision. A spec that is not the standard one
    (a date's `%d.%m.%Y`) prints about as long as itself."""
    match = _SPEC.fullmatch(spec)
    if match is None:
        return
    for part in ("width", "precision"):
        digits = match[part]
        if digits:
            check_width(int(digits) if len(digits) < 7 else MAX_WIDTH + 1)


def check_str_method(text: str, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
                     ) -> tuple[Any, ...]:
    """Before `text.name(*args)`: the methods that grow a text from small arguments.
    Returns the arguments to call with (`join` gets its iterable as a list)."""
    first = args[0] if args else None
    if name in ("ljust", "rjust", "center", "zfill"):
        check_width(kwargs.get("width", first))
    elif name == "expandtabs":
        size = kwargs.get("tabsize", 8 if first is None else first)
        check_width(size)
        check_total(len(text) + text.count("\t") * max(size, 0))
    elif name == "replace" and len(args) >= 2:
        check_replace(text, args[0], args[1], args[2] if len(args) > 2 else -1)
    elif name == "join" and args:
        items = list(args[0])
        check_total(weight(items) + len(text) * len(items))
        return (items, *args[1:])
    elif name == "translate":
        table = first if isinstance(first, dict) else {}
        check_total(len(text) * max([weight(value) for value in table.values()] + [1]))
    return args


def check_replace(text: Any, old: Any, new: Any, count: Any) -> None:
    if not (isinstance(text, str) and isinstance(old, str) and isinstance(new, str)):
        return
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    check_total(len(text) + found * (len(new) - len(old)))
