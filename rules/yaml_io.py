"""Rules files: YAML a team keeps in version control. Reading keeps each value's line, so
every problem can name the line at fault.

    version: 1
    rules:
      - key: deal-new-greeting          # stable identity: importing again updates the rule
        type: deal
        pipeline: General               # optional: the type's default pipeline
        stage: new                      # code, name (either language) or position
        title: Greet the client
        kind: message_client
        params: {template: messages/greeting.j2}
        execution: independent          # or after_previous
        timing: after 10 minutes        # see rules.timing_text
        condition: amount > 15000 and currency = EUR
        enabled: true
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from crm.i18n import N_, fill
from rules import yaml_guard
from rules.errors import RulesFileError

FIELDS = ("key", "type", "pipeline", "stage", "title", "kind", "params", "execution", "timing",
          "condition", "enabled")
REQUIRED = ("type", "stage", "kind")
MAX_FILE = 512_000
# What can be wrong with a file's shape; a problem carries its code and the English reason.
PROBLEMS: dict[str, str] = {
    "too_large": N_("the file is too large"),
    "syntax": N_("not valid YAML: {detail}"),
    yaml_guard.ALIAS: N_("anchors and aliases (&name, *name) are not allowed; write the "
                         "value out"),
    yaml_guard.TOO_DEEP: N_("nested more than {depth} levels deep"),
    "value": N_("a value cannot be read: {detail}"),
    "not_rules": N_("expected a mapping with a 'rules' list"),
    "no_list": N_("expected a list of rules under 'rules'"),
    "not_mapping": N_("expected a mapping"),
    "unknown_field": N_("unknown field"),
    "missing": N_("missing"),
}


@dataclass(slots=True)
class RuleEntry:
    """One rule as written in the file, with the line of the rule and of each field."""

    values: dict[str, Any]
    line: int
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, name: str) -> int:
        return self.lines.get(name.split(".")[0], self.line)


def read_rules_file(text: str) -> list[RuleEntry]:
    """The file's rule entries; raises RulesFileError for what is wrong with its shape."""
    if len(text) > MAX_FILE:
        raise RulesFileError(errors=[problem(1, "file", "too_large")])
    try:
        root, data = yaml_guard.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        if isinstance(exc, yaml_guard.RefusedYaml):
            raise RulesFileError(errors=[problem(line, "file", exc.code,
                                                 depth=yaml_guard.MAX_DEPTH)]) from exc
        detail = str(getattr(exc, "problem", None) or exc)
        raise RulesFileError(errors=[problem(line, "file", "syntax", detail=detail)]) from exc
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise RulesFileError(errors=[problem(1, "file", "value", detail=str(exc))]) from exc
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise RulesFileError(errors=[problem(1, "file", "not_rules")])
    nodes = {key.value: value for key, value in root.value}
    rules_node = nodes.get("rules")
    if not isinstance(data.get("rules"), list) or not isinstance(rules_node, yaml.SequenceNode):
        raise RulesFileError(errors=[problem(1, "rules", "no_list")])
    entries, errors = [], []
    for values, node in zip(data["rules"], rules_node.value, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
            errors.append(problem(line, "rule", "not_mapping"))
            continue
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        entry = RuleEntry(values, line, lines)
        errors += [problem(entry.line_of(k), k, "unknown_field")
                   for k in values if k not in FIELDS]
        errors += [problem(line, k, "missing") for k in REQUIRED if values.get(k) in (None, "")]
        entries.append(entry)
    if errors:
        raise RulesFileError(errors=errors)
    return entries


def write_rules_file(rules: list[dict[str, Any]]) -> str:
    header = ("# Automation rules of the Telegram CRM. Import with /rules import or\n"
              "# `crm-bot rules import FILE`; a rule's key keeps its identity.\n")
    return header + yaml_guard.dump({"version": 1, "rules": rules})


def problem(line: int, field_name: str, code: str, **values: Any) -> dict[str, Any]:
    """One problem of a file: line, field, the English reason, and its code and values
    for problem_text."""
    return {"line": line, "field": field_name, "reason": fill(PROBLEMS[code], "en", values),
            "code": code, "values": values}


def problem_text(error: dict[str, Any], language: str) -> str:
    """A problem's reason in `language`: the file's own problems are translated, those of a
    rule (a stage not found, a template that fails) come in the words they were given."""
    code = error.get("code")
    if code in PROBLEMS:
        return fill(PROBLEMS[code], language, dict(error.get("values") or {}))
    return str(error.get("reason"))
