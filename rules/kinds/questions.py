"""A kind's settings as questions the rule dialog asks one by one: buttons where there is a
choice (a list, yes/no, a staff member, a team chat, a stage, a role, a message template),
a typed value with an example otherwise, and "skip" for the optional ones.

A kind may list its own `questions` (with words for its choices); a kind without them gets
questions made from its params model, so a new kind is asked for its settings all the same.
The words are message ids (N_), translated where the bot shows them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, Literal, Protocol, get_args, get_origin

from pydantic import BaseModel

from crm.i18n import N_


class Answer(enum.StrEnum):
    CHOICE = "choice"        # one of the question's `choices`
    YES_NO = "yes_no"
    STAFF = "staff"          # a staff member's user id
    TEAM_CHAT = "team_chat"  # a team chat's id
    STAGE = "stage"          # a stage of the rule's pipeline (or of `pipeline_id`), by id
    PIPELINE = "pipeline"    # a pipeline of the rule's type, by id
    ROLE = "role"
    MESSAGE = "message"      # a template from templates/messages (`template`) or a text (`text`)
    TEXT = "text"            # typed; may be a template such as "Call {{ contact.name }}"
    NUMBER = "number"        # a typed whole number


@dataclass(frozen=True, slots=True)
class Question:
    name: str                # the param the answer fills
    answer: Answer
    label: str               # the question, a message id
    example: str = ""        # for typed answers, a message id ("e.g. 14")
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, message id of its label)
    optional: bool = False   # "skip" keeps the default
    # (param, value): asked only when the param has that value (None: when it is not given;
    # a tuple: one of them)
    when: tuple[str, str | tuple[str, ...] | None] | None = None

    def applies(self, params: dict[str, Any]) -> bool:
        if self.when is None:
            return True
        name, value = self.when
        return params.get(name) in value if isinstance(value, tuple) else params.get(
            name) == value


class Asked(Protocol):
    """What the questions are made from: a rule kind (rules.kinds.base.AnyRuleKind)."""

    @property
    def params_model(self) -> type[BaseModel]: ...


MESSAGE = Question("template", Answer.MESSAGE, N_("Which message?"))
_BY_NAME = {
    "user_id": (Answer.STAFF, N_("Which team member?")),
    "chat_id": (Answer.TEAM_CHAT, N_("Which team chat?")),
    "team_chat_id": (Answer.TEAM_CHAT, N_("Which team chat?")),
    "stage_id": (Answer.STAGE, N_("Which stage?")),
    "pipeline_id": (Answer.PIPELINE, N_("Which pipeline?")),
    "role": (Answer.ROLE, N_("Which role?")),
}
_SKIPPED = {"text", "buttons"}  # answered with `template` (MESSAGE), or typed only


def questions_for(kind: Asked) -> tuple[Question, ...]:
    """The kind's own questions, or ones made from its params model."""
    own: tuple[Question, ...] = getattr(kind, "questions", ())
    if own:
        return own
    fields = kind.params_model.model_fields
    made: list[Question] = []
    for name, field in fields.items():
        if name in _SKIPPED:
            continue
        if name == "template" and "text" in fields:
            made.append(MESSAGE)
        else:
            made.append(_made(name, field.annotation, not field.is_required()))
    # whom first, then what: "which team member?" before "which message?"
    return tuple(sorted(made, key=lambda q: q.answer is not Answer.STAFF
                        and q.answer is not Answer.TEAM_CHAT))


def _made(name: str, annotation: Any, optional: bool) -> Question:
    if name in _BY_NAME:
        answer, label = _BY_NAME[name]
        return Question(name, answer, label, optional=optional)
    inner = [a for a in get_args(annotation) if a is not type(None)] or [annotation]
    kind = inner[0]
    if get_origin(kind) is Literal:
        return Question(name, Answer.CHOICE, name, optional=optional,
                        choices=tuple((str(v), str(v)) for v in get_args(kind)))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return Question(name, Answer.CHOICE, name, optional=optional,
                        choices=tuple((str(m.value), str(m.value)) for m in kind))
    if kind is bool:
        return Question(name, Answer.YES_NO, name, optional=optional)
    if kind is int:
        return Question(name, Answer.NUMBER, name, optional=optional)
    return Question(name, Answer.TEXT, name, optional=optional)


def next_question(kind: Asked, params: dict[str, Any], asked: list[str]
                  ) -> Question | None:
    """The first question not yet answered (or skipped) that applies to the answers so far."""
    return next((q for q in questions_for(kind) if q.name not in asked and q.applies(params)),
                None)
