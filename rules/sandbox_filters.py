"""Jinja's built-in filters with caps: the ones that pad, indent, wrap, replace, join, sum,
format or batch have their arguments sized first (see sandbox_caps.py); every filter's
result is checked after, so one filter's output cannot feed the next beyond the caps."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import wraps
from inspect import signature
from typing import Any

from jinja2.filters import make_attrgetter

from rules import sandbox_caps as caps


def cap_filters(filters: dict[str, Callable[..., Any]]) -> None:
    for name, func in list(filters.items()):
        filters[name] = _capped_filter(func, _FILTER_CHECKS.get(name))


Arguments = dict[str, Any]


def _capped_filter(func: Callable[..., Any], check: Callable[[Arguments], None] | None
                   ) -> Callable[..., Any]:
    """`func` with its arguments checked first (by name, as bound to its signature) and its
    result's size after. `wraps` keeps Jinja's pass_context/pass_eval_context marks."""
    shape = signature(func) if check else None

    @wraps(func)
    def capped(*args: Any, **kwargs: Any) -> Any:
        if check is not None and shape is not None:
            bound = shape.bind(*args, **kwargs)
            bound.apply_defaults()
            check(bound.arguments)  # may replace an iterable by the list it was measured as
            args, kwargs = bound.args, bound.kwargs
        return caps.check_size(func(*args, **kwargs))

    return capped


def _check_indent(a: Arguments) -> None:
    width = a["width"] if _int(a["width"]) else len(str(a["width"]))
    caps.check_width(width)
    text = str(a["s"])
    caps.check_total(len(text) + (text.count("\n") + 1) * width)


def _check_join(a: Arguments) -> None:
    items: Iterable[Any] = a["value"]
    if a["attribute"] is not None:
        items = map(make_attrgetter(a["eval_ctx"].environment, a["attribute"]), items)
    a["value"], a["attribute"] = list(items), None
    caps.check_total(caps.weight(a["value"]) + len(str(a["d"])) * len(a["value"]))


def _check_sum(a: Arguments) -> None:
    if not _number(a["start"]):
        a["iterable"] = list(a["iterable"])
        caps.check_total(caps.weight(a["start"]) + caps.weight(a["iterable"]))


def _check_wordwrap(a: Arguments) -> None:
    text, wrap = str(a["s"]), str(a["wrapstring"] or "\n")
    caps.check_total(len(text) + (len(text) // max(a["width"], 1) + 1) * len(wrap))


_FILTER_CHECKS: dict[str, Callable[[Arguments], None]] = {
    "center": lambda a: caps.check_width(a["width"]),
    "indent": _check_indent,
    "wordwrap": _check_wordwrap,
    "replace": lambda a: caps.check_replace(a["s"], a["old"], a["new"], a["count"]),
    "join": _check_join,
    "sum": _check_sum,
    "format": lambda a: caps.check_printf(str(a["value"]), a["kwargs"] or a["args"]),
    "batch": lambda a: caps.check_width(a["linecount"]),
    "slice": lambda a: caps.check_width(a["slices"]),
    "tojson": lambda a: caps.check_width(a["indent"]),
    "urlize": lambda a: caps.check_width(len(a["target"] or "") + len(a["rel"] or "")),
    "int": lambda a: caps.check_integral(a["value"]),
}


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
