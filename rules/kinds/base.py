"""What every rule kind is made of, and the context it runs in.

A kind module defines one `RuleKind`: its code, its group in the catalogue, its parameter
model (pydantic), its names and failure reasons in both languages, and `execute`. The
same `execute` serves a real run and test mode: it acts only through `ctx.effects`, which
either writes the outbox and changes data, or records what would happen.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict

from crm.i18n import translate
from rules.context import Subject
from rules.kinds.questions import Question
from rules.reason_codes import Reason

if TYPE_CHECKING:
    from crm.models import Stage
    from crm.storage.unit_of_work import UnitOfWork
    from rules.config import EngineConfig
    from rules.ports import Button
    from rules.rendering import Renderer


class KindGroup(enum.StrEnum):
    """The catalogue's sections, by task (as the reference groups them)."""

    CLIENT = "client"
    PAPERWORK = "paperwork"
    EMPLOYEE = "employee"
    DATA = "data"
    RECURRING = "recurring"
    INTEGRATION = "integration"
    FLOW = "flow"


class Params(BaseModel):
    """Base of every kind's parameters: unknown keys are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RunFailure(Exception):
    """A run cannot do its work; `code` is the reason (rules.reasons has its words)."""

    def __init__(self, code: Reason, **params: Any) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a message goes. `role`: client, staff or team (a group chat)."""

    role: str
    chat_id: int
    language: str
    name: str


class Effects(Protocol):
    """Everything a kind may do to the world. Real runs act; test mode only records, so
    a kind never checks whether it is being tested."""

    async def send_message(
        self, recipient: Recipient, text: str, buttons: list[list[Button]] | None = None
    ) -> None: ...

    async def queue(self, channel: str, kind: str, chat_id: int | None,
                    payload: dict[str, Any], *, describe: str) -> None:
        """Anything for the outbox (a document, an e-mail, a webhook call): delivered after
        the run commits, with retries. `describe` is what test mode shows instead."""
        ...

    async def apply(self, describe: str, change: Callable[[], Awaitable[object]]) -> None:
        """A change of CRM data (a field, a product, a stage...): `change` runs inside the
        run's transaction; test mode shows `describe` and does not run it."""
        ...


@dataclass(frozen=True, slots=True)
class Draft:
    """A document test mode rendered and did not store: the tester may get it as a PDF."""

    label: str  # "Invoice RE-00001", in the default language
    number: str
    html: str


@dataclass(slots=True)
class KindContext:
    uow: UnitOfWork
    subject: Subject
    now: datetime
    renderer: Renderer
    config: EngineConfig
    effects: Effects
    run_id: int | None = None  # None in test mode
    test_mode: bool = False
    result: dict[str, Any] = field(default_factory=dict)  # shown in the status and kept
    # The run's result so far (a run executed again: a wait that checks once more).
    previous: dict[str, Any] = field(default_factory=dict)
    # Set by a kind that is not finished yet (a wait): the run is executed again then, or
    # sooner when something wakes it (rules.engine.waits); the rules after it wait meanwhile.
    hold_until: datetime | None = None
    # Test mode only: the documents it rendered, and what would keep a real run from going
    # out now that the tester should hear of beside the preview (a client who has not
    # started the bot yet: the run would wait for them).
    drafts: list[Draft] = field(default_factory=list)
    notes: list[RunFailure] = field(default_factory=list)


P = TypeVar("P", bound=Params)


class AnyRuleKind(Protocol):
    """A kind whose parameter type the holder does not know (the catalogue, the engine, test
    mode, the rules UI): params come in as stored (a dict from JSON) and only the kind's own
    model parses them — `configure` is the one untyped boundary."""

    code: ClassVar[str]
    group: ClassVar[KindGroup]
    name: ClassVar[str]
    reasons: ClassVar[dict[Reason, str]]

    @property
    def params_model(self) -> type[Params]: ...

    def configure(self, params: Mapping[str, Any]) -> Configured:
        """The stored params parsed by the kind's model; raises pydantic's ValidationError."""
        ...


class Configured(Protocol):
    """A kind with its parsed params: what a holder of an AnyRuleKind runs, checks, shows."""

    @property
    def params(self) -> Params: ...

    async def execute(self, ctx: KindContext) -> None: ...

    async def validate(self, check: Validation) -> None: ...

    def summary(self, language: str) -> str: ...


@dataclass(frozen=True, slots=True)
class _Configured(Generic[P]):
    kind: RuleKind[P]
    params: P

    async def execute(self, ctx: KindContext) -> None:
        await self.kind.execute(ctx, self.params)

    async def validate(self, check: Validation) -> None:
        await self.kind.validate(self.params, check)

    def summary(self, language: str) -> str:
        return self.kind.summary(self.params, language)


class RuleKind(Generic[P]):
    """A kind over its parameter model P: `class SendMessage(RuleKind[MessageParams])`."""

    code: ClassVar[str]
    group: ClassVar[KindGroup]
    name: ClassVar[str]
    params_model: type[P]
    # Reasons this kind's runs may fail with, beyond the engine's own (rules.reasons).
    reasons: ClassVar[dict[Reason, str]] = {}
    # The dialog's questions for its settings; empty: made from params_model (questions.py).
    questions: ClassVar[tuple[Question, ...]] = ()

    async def execute(self, ctx: KindContext, params: P) -> None:
        raise NotImplementedError

    async def validate(self, params: P, check: Validation) -> None:
        """Extra checks when a rule is saved (e.g. the template renders). Raise AppError."""

    def summary(self, params: P, language: str) -> str:
        """A few words on what this rule does, for rule lists."""
        return translate(self.name, language)

    def configure(self, params: Mapping[str, Any]) -> _Configured[P]:
        return _Configured(self, self.params_model.model_validate(params))


@dataclass(slots=True)
class Validation:
    """What `validate` may use: the renderer and a sample subject to render against."""

    renderer: Renderer
    sample: Subject
    now: datetime
    lookup: Callable[[str, Any], Awaitable[bool]]  # ("staff"|"team_chat", id) -> exists
    # Where the rule sits, the rule's transaction (for reads the lookup does not cover, e.g.
    # the stages of another pipeline) and the engine's settings; None only in bare tests.
    stage: Stage | None = None
    uow: UnitOfWork | None = None
    config: EngineConfig | None = None
