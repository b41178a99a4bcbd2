"""The one Jinja2 environment templates run in: immutable sandbox, Telegram-HTML autoescape,
StrictUndefined, and caps so that a template cannot run away.

Jinja has no way to stop a render, so the time cap is layered:
- C-level work that one expression could make huge is refused up front: `*` and `**` on
  big operands, `%`/`format`/`center`/`indent` with wide fields, `range` beyond a budget
  shared by the whole render (nested loops count together);
- Python-level loops (filters, macros, `for`) are cut by a trace hook `run_with_deadline`
  installs in the worker thread the render runs in: past the deadline it raises inside the
  render, which ends it (a thread timeout alone would leave it spinning);
- output is streamed and cut at the Telegram limit, see rendering.py.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.filters import do_center, do_format, do_indent
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

T = TypeVar("T")
MAX_BUILT = 20_000  # characters or items one `*` may build
MAX_EXPONENT = 64
MAX_WIDTH = 200
_WIDE_SPEC = re.compile(r"%[-+ #0]*\d{4,}|\{[^{}]*:[^{}]*\d{4,}[^{}]*\}")


class RenderTimeout(BaseException):
    """Raised inside a render that passed its deadline. A BaseException, so that code the
    template calls (a filter's `except Exception`) cannot swallow it and render on."""


class BudgetExceeded(SecurityError):
    """The render asked for more iterations than its budget allows."""


class CappedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+", "-", "/", "//"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        left, right = _decimal_with_float(left, right)
        if operator == "**" and _number(right) and abs(right) > MAX_EXPONENT:
            raise SecurityError("exponent too large")
        if operator == "*":
            size, count = (left, right) if _sized(left) else (right, left)
            if _sized(size) and _number(count) and len(size) * count > MAX_BUILT:
                raise SecurityError("repetition too large")
        if operator == "%" and isinstance(left, str) and _WIDE_SPEC.search(left):
            raise SecurityError("field width too large")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and _WIDE_SPEC.search(value.__self__):
            raise SecurityError("field width too large")
        return wrapped


def build_environment(templates_dir: Path) -> CappedSandbox:
    env = CappedSandbox(
        loader=FileSystemLoader(str(templates_dir)),
        # Telegram HTML: data is escaped, the template's own <b>/<i>/<a> stay markup.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=True,
    )
    env.globals.pop("lipsum", None)  # generates text of any size on request
    env.filters["center"] = _capped(do_center, "width", 1)
    env.filters["indent"] = _capped(do_indent, "width", 1)
    env.filters["format"] = _checked_format
    return env


def budgeted_range(budget: int) -> Callable[..., range]:
    """A `range` for one render: all ranges of the render together stay within `budget`."""
    left = [budget]

    def safe_range(*args: int) -> range:
        numbers = range(*args)
        left[0] -= len(numbers)
        if left[0] < 0:
            raise BudgetExceeded("the template loops too much")
        return numbers

    return safe_range


def run_with_deadline(work: Callable[[], T], seconds: float) -> T:
    """Runs `work` in this thread, aborting it once `seconds` have passed."""
    deadline = time.monotonic() + seconds
    previous = sys.gettrace()
    fired = False

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal fired
        if fired:  # once: raising again while the render unwinds (closing its generators)
            return None  # would surface as "exception ignored" noise
        if time.monotonic() > deadline:
            fired = True
            raise RenderTimeout
        return tracer

    sys.settrace(tracer)
    try:
        return work()
    finally:
        sys.settrace(previous)


def _decimal_with_float(left: Any, right: Any) -> tuple[Any, Any]:
    """Amounts are Decimals and `1.19` in a template is a float, which Python refuses to
    mix: `{{ item.amount * 1.19 }}` computes with the float's decimal digits instead."""
    if isinstance(left, Decimal) and isinstance(right, float):
        return left, Decimal(repr(right))
    if isinstance(right, Decimal) and isinstance(left, float):
        return Decimal(repr(left)), right
    return left, right


def _sized(value: Any) -> bool:
    return isinstance(value, str | list | tuple)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _capped(filter_func: Callable[..., Any], name: str, index: int) -> Callable[..., Any]:
    def capped(*args: Any, **kwargs: Any) -> Any:
        width = kwargs.get(name, args[index] if len(args) > index else 0)
        if _number(width) and width > MAX_WIDTH:
            raise SecurityError("field width too large")
        return filter_func(*args, **kwargs)

    return capped


def _checked_format(value: Any, *args: Any, **kwargs: Any) -> str:
    if _WIDE_SPEC.search(str(value)):
        raise SecurityError("field width too large")
    return do_format(value, *args, **kwargs)
