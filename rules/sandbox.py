"""The one Jinja2 environment templates run in: immutable sandbox, Telegram-HTML autoescape,
StrictUndefined, and caps so that a template cannot run away.

Two layers keep a template from freezing or exhausting the bot:
- here, the fast path: every operation that could build something huge is sized before it
  runs (sandbox_caps.py) and refused with a TooLarge reason: arithmetic by operand size,
  `~`, `+`, `*`, `%`, `str.format`, the string methods and filters that pad, repeat,
  replace or join; `range` beyond a budget shared by the whole render;
- render_worker.py, the hard stop: the render runs in a worker process with a memory
  limit, an alarm for Python-level loops and a kill for anything stuck in C.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import update_wrapper
from pathlib import Path
from types import BuiltinMethodType, MethodType
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.nodes import Concat
from jinja2.runtime import Context
from jinja2.sandbox import (
    ImmutableSandboxedEnvironment,
    SandboxedEscapeFormatter,
    SandboxedFormatter,
)
from markupsafe import Markup

from rules import sandbox_caps as caps
from rules.sandbox_filters import cap_filters


class RenderTimeout(BaseException):
    """Raised inside a render that passed its deadline. A BaseException, so that code the
    template calls (a filter's `except Exception`) cannot swallow it and render on."""


class BudgetExceeded(SecurityError):
    """The render asked for more iterations than its budget allows."""


class _CappedFields:
    """A `str.format` formatter that checks each field's spec (after nested `{w}` fields are
    filled in) and the size built so far."""

    built = 0

    def vformat(self, format_string: str, args: Any, kwargs: Any) -> str:
        self.built = 0
        return super().vformat(format_string, args, kwargs)  # type: ignore[misc, no-any-return]

    def format_field(self, value: Any, format_spec: str) -> str:
        caps.check_spec(format_spec)
        text: str = super().format_field(value, format_spec)  # type: ignore[misc]
        self.built += len(text)
        caps.check_total(self.built)
        return text


class _Formatter(_CappedFields, SandboxedFormatter):
    pass


class _EscapeFormatter(_CappedFields, SandboxedEscapeFormatter):
    pass


class _CodeGenerator(CodeGenerator):
    @optimizeconst
    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        """As Jinja's, but `a ~ b` hands its operands to the environment to be weighed
        before they are joined (a doubling `~` in a loop grows without any other call)."""
        if frame.eval_ctx.volatile:
            func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            func_name = "markup_join"
        else:
            func_name = "str_join"
        self.write(f"{func_name}(environment.concat_operands((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(")))")


class CappedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+", "-", "/", "//"})
    code_generator_class = _CodeGenerator

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        left, right = _decimal_with_float(left, right)
        if _int(left) and _int(right) and operator in ("*", "**", "//", "%"):
            caps.check_int_operands(operator, left, right)
        if operator == "**" and _number(right) and abs(right) > caps.MAX_EXPONENT:
            raise caps.TooLarge("exponent too large")
        if operator == "*":
            size, count = (left, right) if _sized(left) else (right, left)
            if _sized(size) and _int(count):
                caps.check_total(caps.weight(size) * count, "repetition")
        if operator == "+" and _sized(left) and _sized(right):
            caps.check_total(caps.weight(left) + caps.weight(right))
        if operator == "%" and isinstance(left, str):
            caps.check_printf(left, right)
        return caps.check_size(super().call_binop(context, operator, left, right))

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, BuiltinMethodType | MethodType) and isinstance(owner, str):
            args = caps.check_str_method(owner, obj.__name__, args, kwargs)
        elif isinstance(obj, BuiltinMethodType) and _int(owner) and obj.__name__ == "to_bytes":
            caps.check_total(kwargs.get("length", args[0] if args else 1), "bytes")
        return caps.check_size(super().call(context, obj, *args, **kwargs))

    def concat_operands(self, operands: tuple[Any, ...]) -> tuple[Any, ...]:
        caps.check_total(sum(caps.weight(operand) for operand in operands))
        return operands

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's own, with a formatter that checks widths and size (see _CappedFields)."""
        if not isinstance(value, MethodType | BuiltinMethodType) or value.__name__ not in (
                "format", "format_map") or not isinstance(value.__self__, str):
            return None
        text: str = value.__self__
        formatter: SandboxedFormatter = (
            _EscapeFormatter(self, escape=text.escape) if isinstance(text, Markup)
            else _Formatter(self))
        is_map = value.__name__ == "format_map"

        def wrapper(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                return type(text)(formatter.vformat(text, (), args[0]))
            return type(text)(formatter.vformat(text, args, kwargs))

        return update_wrapper(wrapper, value)


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
    cap_filters(env.filters)
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


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
