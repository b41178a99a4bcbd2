"""Reads the condition users type in chat into a tree, e.g.

    amount > 15000 and currency = EUR
    title contains "relaunch" or amount between 100 and 200
    contact.email is empty
    source in (web, call) and contact.phone is not empty

`and` binds tighter than `or`; parentheses group. Texts with spaces, commas or keywords go
in quotes (straight or typographic, as phones type them). Keywords and field names may be
German too (`betrag > 15000 und quelle ist nicht telegram`, `kontaktname ist leer`);
`is X` means `= X`. A comma
between digits belongs to the number (`15.000,50`), so list numbers as `(100, 200)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rules.conditions.fields import canonical_field
from rules.conditions.labels import keyword
from rules.conditions.tree import KEYWORDS, check_value, validate_tree
from rules.errors import ConditionError

_SYMBOLS = ("!=", "<>", ">=", "<=", "==", "≥", "≤", "≠", "=", ">", "<")
_ALIASES = {"==": "=", "<>": "!=", "≥": ">=", "≤": "<=", "≠": "!="}
_DOUBLE, _SINGLE = "\"“”„", "'‘’"
_STOP = "\\s()<>=!,\"“”„≥≤≠"
# A word may hold an apostrophe (O'Brien) but not start with one (that opens a quote), and a
# comma between digits (15.000,50 as Germans type amounts); list items take ", " between them.
_WORD = re.compile(f"[^{_STOP}'‘’](?:[^{_STOP}]|(?<=\\d),(?=\\d))*")
MAX_LENGTH = 1000


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # word, string, op, (, ), ",", end
    text: str
    position: int  # 1-based column

    @property
    def keyword(self) -> str | None:
        return keyword(self.text) if self.kind == "word" else None


def parse_condition(text: str) -> dict[str, Any]:
    """The tree of a typed condition; raises ConditionError with reason and position."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(field="condition", value=text[:50], reason="bad_tree",
                             position=MAX_LENGTH, token="")
    return _Parser(text).parse()


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
            continue
        symbol = next((s for s in _SYMBOLS if text.startswith(s, i)), None)
        if char in "(),":
            tokens.append(Token(char, char, i + 1))
            i += 1
        elif symbol:
            tokens.append(Token("op", _ALIASES.get(symbol, symbol), i + 1))
            i += len(symbol)
        elif char in _DOUBLE or char in _SINGLE:
            closers = _DOUBLE if char in _DOUBLE else _SINGLE
            end = next((j for j in range(i + 1, len(text)) if text[j] in closers), -1)
            if end < 0:
                raise _error(text, "unclosed_quote", Token("string", char, i + 1))
            tokens.append(Token("string", text[i + 1:end], i + 1))
            i = end + 1
        elif match := _WORD.match(text, i):
            tokens.append(Token("word", match.group(), i + 1))
            i = match.end()
        else:
            raise _error(text, "unexpected_character", Token("char", char, i + 1))
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


def _error(text: str, reason: str, token: Token) -> ConditionError:
    return ConditionError(field="condition", value=text, reason=reason,
                          position=token.position, token=token.text)


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def accept(self, keyword: str) -> bool:
        if self.peek().keyword == keyword:
            self.take()
            return True
        return False

    def fail(self, reason: str, token: Token | None = None) -> ConditionError:
        return _error(self.text, reason, token or self.peek())

    def parse(self) -> dict[str, Any]:
        if self.peek().kind == "end":
            raise self.fail("empty_condition")
        tree = self.any_of()
        if self.peek().kind != "end":
            raise self.fail("unexpected_token")
        result = validate_tree(tree)
        assert result is not None
        return result

    def any_of(self) -> dict[str, Any]:
        parts = [self.all_of()]
        while self.accept("or"):
            parts.append(self.all_of())
        return {"any": parts}

    def all_of(self) -> dict[str, Any]:
        parts = [self.operand()]
        while self.accept("and"):
            parts.append(self.operand())
        return {"all": parts}

    def operand(self) -> dict[str, Any]:
        if self.peek().kind == "(":
            self.take()
            inner = self.any_of()
            if self.peek().kind != ")":
                raise self.fail("unclosed_parenthesis")
            self.take()
            return inner
        return self.comparison()

    def comparison(self) -> dict[str, Any]:
        token = self.take()
        if token.kind != "word" or token.keyword in KEYWORDS:
            raise self.fail("unexpected_token" if token.kind != "end" else "missing_value", token)
        name = canonical_field(token.text)
        if name is None:
            raise self.fail("unknown_field", token)
        op, value, at = self.operator()
        return {"field": name, "op": op, "value": check_value(name, op, value, at.position)}

    def operator(self) -> tuple[str, Any, Token]:
        token = self.take()
        word = token.keyword
        if token.kind == "op":
            value_token = self.peek()  # a wrong value is pointed at, not its operator
            return token.text, self.value(), value_token
        if word == "is":
            negated = self.accept("not")
            if self.accept("empty"):
                return ("not_empty" if negated else "empty"), None, token
            value_token = self.peek()  # `source is telegram`, as explanations read
            return ("!=" if negated else "="), self.value(), value_token
        if word == "not" and self.peek().keyword in ("contains", "in", "empty"):
            word = "not_" + (self.take().keyword or "")
        if word in ("empty", "not_empty"):
            return word, None, token
        if word == "contains" and self.accept("not"):  # German: `enthält nicht`
            word = "not_contains"
        if word in ("contains", "not_contains"):
            value_token = self.peek()
            return word, self.value(), value_token
        if word in ("in", "not_in"):
            return word, self.values(), token
        if word == "between":
            low = self.value()
            if not self.accept("and"):
                raise self.fail("expected_and")
            return word, [low, self.value()], token
        raise self.fail("expected_operator", token)

    def value(self) -> str:
        token = self.take()
        if token.kind == "string" or (token.kind == "word" and token.keyword not in KEYWORDS):
            return token.text
        raise self.fail("missing_value", token)

    def values(self) -> list[str]:
        if self.peek().kind != "(":
            return [self.value()]
        self.take()
        found = [self.value()]
        while self.peek().kind == ",":
            self.take()
            found.append(self.value())
        if self.peek().kind != ")":
            raise self.fail("unclosed_parenthesis")
        self.take()
        return found
