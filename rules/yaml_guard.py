"""YAML as rules files may use it: plain data, no anchors or aliases, a bounded depth.

Aliases are refused outright, not counted: a few lines of nested aliases ("billion laughs")
expand to more values than any machine holds, and a file of a few kilobytes can already make
every later walk over the data (import, validation, rendering) expensive. The bot never writes
them (the dumper below repeats a value instead). Depth is bounded while composing, long before
Python's recursion limit (and brackets already while they are read), so a deeply nested file
is an ordinary error with its line, found in milliseconds.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent
from yaml.nodes import Node

MAX_DEPTH = 50
ALIAS = "alias"
TOO_DEEP = "too_deep"
DEEP = f"nested more than {MAX_DEPTH} levels deep"


class RefusedYaml(ComposerError):
    """A construct rules files may not use, with where it starts (`problem_mark`)."""

    def __init__(self, code: str, event_mark: yaml.Mark, problem: str) -> None:
        super().__init__(None, None, problem, event_mark)
        self.code = code


class RulesLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and nesting deeper than MAX_DEPTH."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            raise RefusedYaml(ALIAS, self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                              "anchors and aliases are not allowed")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise RefusedYaml(TOO_DEEP, self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                                  DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        """`[` and `{` are counted as they are read: the scanner looks far ahead past open
        brackets (each might start a key), which costs time with every one still open."""
        if self.flow_level >= MAX_DEPTH:
            raise RefusedYaml(TOO_DEEP, self.get_mark(), DEEP)
        super().fetch_flow_collection_start(TokenClass)


def load(text: str) -> tuple[Node | None, Any]:
    """The document's root node and its data; raises yaml.YAMLError (RefusedYaml among them)
    and ValueError (a value Python will not convert, e.g. an integer of 5,000 digits)."""
    loader = RulesLoader(text)
    try:
        root = loader.get_single_node()
        data = None if root is None else loader.construct_document(root)
        return root, data
    finally:
        loader.dispose()


class NoAliasDumper(yaml.SafeDumper):
    """Writes a value that occurs twice twice, so what the bot exports can be read back."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """A text of several lines (a message, "field = value" lines) as a block, line by line
    as it was written; one line as usual. Lines ending in blanks cannot be a block."""
    lines = text.split("\n")
    block = len(lines) > 1 and not any(line != line.rstrip() for line in lines)
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if block else None)


NoAliasDumper.add_representer(str, _text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=NoAliasDumper, allow_unicode=True, sort_keys=False, width=100)
