"""The module import graph of bot/, crm/ and rules/ has no circles, and the layers point one
way (bot → rules → crm).

The graph is read from the source with `ast`, not from what Python happens to import: every
`import` and `from … import` counts, also those under `if TYPE_CHECKING:` and inside
functions. `from pkg import name` is an edge to the module `pkg.name` where there is one, else
to `pkg`; a package's `__init__` is a node of its own (importing `pkg.mod` does not make an
edge to `pkg`)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "crm", "rules")
# Which top packages each one may import: the layers point one way.
ALLOWED = {"bot": {"bot", "rules", "crm"}, "rules": {"rules", "crm"}, "crm": {"crm"}}


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} -> {self.target} (line {self.line})"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the three packages by its dotted name."""
    return {
        module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def known(name: str) -> str | None:
    """`name` if it is one of our modules, else its nearest ancestor that is, else None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules():
            return candidate
        parts.pop()
    return None


def base_of(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a `from … import` reads from."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if is_package else module.split(".")[:-1]
    package = package[: len(package) - (node.level - 1)]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_in(source: str, module: str, is_package: bool) -> Iterator[tuple[str, int]]:
    """(imported module, line) for every import statement anywhere in the source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = base_of(module, is_package, node)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield (submodule if submodule in modules() else base), node.lineno


def edges_of(source: str, module: str, is_package: bool = False) -> list[Edge]:
    """The edges from `module` to our modules; imports of other libraries are left out."""
    found = []
    for name, line in imports_in(source, module, is_package):
        target = known(name)
        if target is not None and target != module:
            found.append(Edge(module, target, line))
    return found


@cache
def edges() -> tuple[Edge, ...]:
    return tuple(
        edge
        for module, path in modules().items()
        for edge in dict.fromkeys(  # one edge per import line
            edges_of(path.read_text(encoding="utf-8"), module, path.name == "__init__.py"))
    )


def strongly_connected(nodes: set[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the strongly connected components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return components


def in_package(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def cycles_in(package: str) -> list[str]:
    nodes = {m for m in modules() if in_package(m, package)}
    inner = [e for e in edges() if e.source in nodes and e.target in nodes]
    graph: dict[str, set[str]] = {}
    for edge in inner:
        graph.setdefault(edge.source, set()).add(edge.target)
    report = []
    for component in strongly_connected(nodes, graph):
        members = set(component)
        lines = [str(e) for e in inner if e.source in members and e.target in members]
        report.append("circle of " + ", ".join(component) + ":\n    " + "\n    ".join(lines))
    return report


SAMPLE = """
import json
import crm.models
from . import catalog
from .. import errors
from ..storage.unit_of_work import UnitOfWork
from crm.services import items, not_a_module
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    from crm.events import EventBus

def later() -> None:
    from rules.kinds import CATALOGUE
"""


def test_the_graph_counts_every_kind_of_import() -> None:
    """A guard on the reader itself: relative, type-level and in-function imports count;
    `from pkg import name` is an edge to the module `pkg.name` where there is one."""
    found = {(e.target, e.line) for e in edges_of(SAMPLE, "crm.services.mode")}
    assert found == {
        ("crm.models", 3), ("crm.services.catalog", 4), ("crm.errors", 5),
        ("crm.storage.unit_of_work", 6), ("crm.services.items", 7), ("crm.services", 7),
        ("crm.events", 10), ("rules.kinds", 13),
    }
    in_package = {e.target for e in edges_of("from . import items", "crm.services", True)}
    assert in_package == {"crm.services.items"}


def test_a_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected({"a", "b", "c", "d"}, graph) == [["a", "b", "c"]]


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_circles(package: str) -> None:
    circles = cycles_in(package)
    assert not circles, "\n".join(circles)


def test_layers_point_one_way() -> None:
    wrong = [
        str(e) for e in edges()
        if e.target.split(".")[0] not in ALLOWED[e.source.split(".")[0]]
    ]
    assert not wrong, "imports against the layers (bot → rules → crm):\n" + "\n".join(wrong)
