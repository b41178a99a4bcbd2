"""What the rule dialog offers and how it reads typed settings: the catalogue in the order
shown, which steps a kind's settings need, the message templates on disk, timing presets,
and settings typed as JSON or key=value lines (for kinds without a dialog of their own)."""

from __future__ import annotations

import enum
import json
import re
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel

from rules.kinds import by_group
from rules.kinds.base import AnyRuleKind
from rules.kinds.messages import TEMPLATE_NAME, MessageParams
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
MESSAGE_FIELDS = {"template", "text", "user_id", "chat_id"}
TEMPLATE_FOLDER = "messages"
LANGUAGE_FOLDERS = ("de", "en")


def kind_list() -> list[AnyRuleKind]:
    """The catalogue grouped by task; a kind's button carries its index in this list."""
    return [kind for kinds in by_group().values() for kind in kinds]


def settings_steps(kind: AnyRuleKind) -> list[str]:
    """The dialog steps a kind's settings take: message kinds get buttons and a text (their
    optional extras keep their defaults, or what the rule had); every other kind — added
    later, without dialog code — is asked for its params, checked by its params model."""
    fields = kind.params_model.model_fields
    if not fields:
        return []
    required = {name for name, field in fields.items() if field.is_required()}
    if issubclass(kind.params_model, MessageParams) and required <= MESSAGE_FIELDS:
        return [step for step, field in (("staff", "user_id"), ("chat", "chat_id"))
                if field in fields] + ["source"]
    return ["params"]


def params_to_change(kind: AnyRuleKind, params: dict[str, Any]) -> dict[str, Any]:
    """What changing a rule's settings starts from: message kinds ask their recipient and
    message again (keeping extras such as buttons); other kinds show their params to edit."""
    if "source" not in settings_steps(kind):
        return params
    return {k: v for k, v in params.items() if k not in MESSAGE_FIELDS}


def missing_step(kind: AnyRuleKind, params: dict[str, Any], params_done: bool) -> str | None:
    """The first settings step still to answer, None when the settings are complete."""
    for step in settings_steps(kind):
        if step == "staff" and "user_id" not in params:
            return step
        if step == "chat" and "chat_id" not in params:
            return step
        if step == "source" and not (params.get("template") or params.get("text")):
            return step
        if step == "params" and not params_done:
            return step
    return None


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
    if text.startswith("{"):
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
        params[key.strip()] = json.loads(value) if value[:1] in ("[", "{") else value
    if not params:
        raise ValueError("empty")
    return params


def fields_help(model: type[BaseModel]) -> list[tuple[str, str, bool]]:
    """(name, type, required) of each field of a params model, the type as people read it."""
    return [(name, type_name(field.annotation), field.is_required())
            for name, field in model.model_fields.items()]


def type_name(annotation: Any) -> str:
    if get_origin(annotation) is Literal:
        return " | ".join(str(a) for a in get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " | ".join(str(member.value) for member in annotation)
    if isinstance(annotation, type):
        return annotation.__name__
    return re.sub(r"(?:[A-Za-z_]\w*\.)+", "", str(annotation))
