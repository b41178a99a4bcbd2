"""Hostile rules files: nested aliases ("billion laughs") and deep nesting are refused at once,
with the line at fault, before anything expands or recurses; what the bot exports never uses
aliases, so it can always be read back."""

from __future__ import annotations

import time

import pytest

from crm.models import Staff
from rules.container import Automation
from rules.errors import RulesFileError
from rules.yaml_io import problem_text, write_rules_file

RULE = """\
version: 1
rules:
  - key: bomb
    type: deal
    stage: new
    kind: notify_responsible
    params: {text: Hi}
"""
LAUGHS = "".join(f"    {'x' if level == 0 else 'x' + str(level)}: &l{level} "
                 f"[{', '.join([f'*l{level - 1}'] * 9) if level else 'lol, lol, lol'}]\n"
                 for level in range(10))


def bomb_in(field: str) -> str:
    """Nine levels of nine aliases, the last one used as `field`."""
    return RULE + "    anchors:\n" + LAUGHS + f"    {field}: *l9\n"


async def refused(automation: Automation, admin: Staff, text: str) -> list[dict[str, object]]:
    started = time.perf_counter()
    with pytest.raises(RulesFileError) as caught:
        await automation.files.import_text(admin, text)
    assert time.perf_counter() - started < 0.5
    return list(caught.value.params["errors"])


@pytest.mark.parametrize("field", ["title", "timing", "condition"])
async def test_nested_aliases_are_refused_at_their_line(
        admin: Staff, automation: Automation, field: str) -> None:
    (error,) = await refused(automation, admin, bomb_in(field))
    assert (error["line"], error["field"]) == (10, "file")  # the first alias, *l0
    assert error["reason"] == ("anchors and aliases (&name, *name) are not allowed; "
                               "write the value out")
    assert problem_text(error, "de") == ("Anker und Aliase (&name, *name) sind nicht erlaubt; "
                                         "schreiben Sie den Wert aus")
    assert "rules: []" in await automation.files.export_text(admin)


@pytest.mark.parametrize(("nested", "line"), [
    ("[" * 5000 + "]" * 5000, 8), ("{a: " * 5000 + "1" + "}" * 5000, 8),
    ("\n      " + "- " * 5000 + "x", 9)])
async def test_deep_nesting_is_refused_with_its_line_not_a_recursion_error(
        admin: Staff, automation: Automation, nested: str, line: int) -> None:
    """5,000 levels, in brackets, braces and block sequences."""
    (error,) = await refused(automation, admin, RULE + f"    condition: {nested}\n")
    assert (error["line"], error["field"]) == (line, "file")
    assert error["reason"] == "nested more than 50 levels deep"
    assert problem_text(error, "de") == "mehr als 50 Ebenen tief verschachtelt"


async def test_a_value_python_cannot_convert_is_a_problem_of_the_file(
        admin: Staff, automation: Automation) -> None:
    (error,) = await refused(automation, admin, RULE + f"    title: {'9' * 5000}\n")
    assert error["field"] == "file" and str(error["reason"]).startswith("a value cannot be read")


async def test_an_export_repeats_shared_values_instead_of_aliasing_them(
        admin: Staff, automation: Automation) -> None:
    shared = {"text": "Hello"}
    text = write_rules_file([
        {"key": k, "type": "deal", "stage": "new", "kind": "notify_responsible", "params": shared}
        for k in ("one", "two")])
    assert "&" not in text and "*" not in text
    report = await automation.files.import_text(admin, text)
    assert (report.added, report.updated) == (2, 0)
