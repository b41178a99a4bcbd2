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

from rules.errors import RulesFileError

FIELDS = ("key", "type", "pipeline", "stage", "title", "kind", "params", "execution", "timing",
          "condition", "enabled")
REQUIRED = ("type", "stage", "kind")
MAX_FILE = 512_000


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
        raise _error(1, "file", "the file is too large")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _error(mark.line + 1 if mark else 1, "file", str(getattr(exc, "problem", exc))
                     ) from exc
    if not isinstance(data, dict) or not isinstance(root, yaml.MappingNode):
        raise _error(1, "file", "expected a mapping with a 'rules' list")
    nodes = {key.value: value for key, value in root.value}
    rules_node = nodes.get("rules")
    if not isinstance(data.get("rules"), list) or not isinstance(rules_node, yaml.SequenceNode):
        raise _error(1, "rules", "expected a list of rules under 'rules'")
    entries, errors = [], []
    for values, node in zip(data["rules"], rules_node.value, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(values, dict) or not isinstance(node, yaml.MappingNode):
            errors.append({"line": line, "field": "rule", "reason": "expected a mapping"})
            continue
        lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
        entry = RuleEntry(values, line, lines)
        errors += [{"line": entry.line_of(k), "field": k, "reason": "unknown field"}
                   for k in values if k not in FIELDS]
        errors += [{"line": line, "field": k, "reason": "missing"}
                   for k in REQUIRED if values.get(k) in (None, "")]
        entries.append(entry)
    if errors:
        raise RulesFileError(errors=errors)
    return entries


def write_rules_file(rules: list[dict[str, Any]]) -> str:
    header = ("# Automation rules of the Telegram CRM. Import with /rules import or\n"
              "# `crm-bot rules import FILE`; a rule's key keeps its identity.\n")
    body = yaml.safe_dump({"version": 1, "rules": rules}, allow_unicode=True, sort_keys=False,
                          width=100)
    return header + body


def _error(line: int, field_name: str, reason: str) -> RulesFileError:
    return RulesFileError(errors=[{"line": line, "field": field_name, "reason": reason}])
