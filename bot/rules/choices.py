"""What the rule dialog offers and how it reads typed settings: the catalogue in the order
shown, which params the questions fill, the message templates on disk, timing presets, and
settings typed all at once as key=value lines or JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from rules.kinds import by_group
from rules.kinds.base import AnyRuleKind
from rules.kinds.messages import TEMPLATE_NAME
from rules.kinds.questions import questions_for
from rules.model import Execution, TimeUnit, Timing, TimingMode

EXECUTIONS = [Execution.INDEPENDENT, Execution.AFTER_PREVIOUS]
TIMING_PRESETS = [
    Timing(),
    Timing(mode=TimingMode.DELAY, amount=10, unit=TimeUnit.MINUTES),
    Timing(mode=TimingMode.DELAY, amount=1, unit=TimeUnit.HOURS),
    Timing(mode=TimingMode.DELAY, amount=1, unit=TimeUnit.DAYS),
    Timing(mode=TimingMode.DELAY, amount=3, unit=TimeUnit.DAYS),
    Timing(mode=TimingMode.DELAY, amount=7, unit=TimeUnit.DAYS),
]
TEMPLATE_FOLDER = "messages"
LANGUAGE_FOLDERS = ("de", "en")


def kind_list() -> list[AnyRuleKind]:
    """The catalogue grouped by task; a kind's button carries its index in this list."""
    return [kind for kinds in by_group().values() for kind in kinds]


def question_names(kind: AnyRuleKind) -> set[str]:
    """The params the dialog's questions fill (a message fills `template` or `text`)."""
    names = {q.name for q in questions_for(kind)}
    return names | ({"text"} if "template" in names else set())


def params_to_change(kind: AnyRuleKind, params: dict[str, Any]) -> dict[str, Any]:
    """What changing a rule's settings starts from: the questions are asked again (each
    offering to keep its value); what no question asks, such as a message's buttons, stays."""
    asked = question_names(kind)
    return {k: v for k, v in params.items() if k not in asked}


def available_templates(templates_dir: Path) -> list[str]:
    """Names a rule can use (`messages/greeting.j2`): files in templates/messages, with the
    language folders (`messages/de/greeting.j2`) folded into one name."""
    folder = templates_dir / TEMPLATE_FOLDER
    if not folder.is_dir():
        return []
    names = set()
    for path in folder.rglob("*.j2"):
        parts = list(path.relative_to(templates_dir).parts)
        if len(parts) > 2 and parts[-2] in LANGUAGE_FOLDERS:
            del parts[-2]
        name = "/".join(parts)
        if re.fullmatch(TEMPLATE_NAME, name):
            names.add(name)
    return sorted(names)


def parse_params_text(text: str) -> dict[str, Any]:
    """`{"a": 1}` or lines of `key = value` (or `key: value`); raises ValueError."""
    text = text.strip()
    if text.startswith("{") and not text.startswith(("{{", "{%")):
        value = json.loads(text)
        if not isinstance(value, dict):
            raise ValueError("not an object")
        return value
    params: dict[str, Any] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        key, sep, value = line.partition("=")
        if not sep:
            key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ValueError(line)
        value = value.strip()
        params[key.strip()] = json.loads(value) if _is_json(value) else value
    if not params:
        raise ValueError("empty")
    return params


def _is_json(value: str) -> bool:
    """A list or object; `{{ contact.name }} anrufen` is a template, not JSON."""
    return value[:1] == "[" or (value[:1] == "{" and value[:2] not in ("{{", "{%"))
