"""Rules and their runs as data: what storage holds and the engine passes around."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator


class Execution(enum.StrEnum):
    AFTER_PREVIOUS = "after_previous"
    INDEPENDENT = "independent"


class RunState(enum.StrEnum):
    PENDING = "pending"  # due when created or released: the engine's next pass runs it
    WAITING = "waiting"  # waits for its due time
    WAITING_PREVIOUS = "waiting_previous"  # waits for the rule before it to finish
    RUNNING = "running"  # executed; the messages it queued are being delivered
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # condition false, rule disabled, or the loop guard
    CANCELLED = "cancelled"  # the item left the stage, or the rule was deleted
    STOPPED = "stopped"  # someone stopped the item's automation

    @property
    def is_finished(self) -> bool:
        return self in FINISHED


OPEN = frozenset({RunState.PENDING, RunState.WAITING, RunState.WAITING_PREVIOUS})
FINISHED = frozenset(
    {RunState.DONE, RunState.FAILED, RunState.SKIPPED, RunState.CANCELLED, RunState.STOPPED}
)
# Fields a relative timing may use besides `custom.<name>`.
ITEM_DATE_FIELDS = ("created_at", "stage_entered_at")


class TimeUnit(enum.StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"


class TimingMode(enum.StrEnum):
    IMMEDIATELY = "immediately"
    DELAY = "delay"  # `amount` `unit` after the stage entry (or after the previous rule)
    AT = "at"  # at an exact moment
    RELATIVE = "relative"  # `amount` `unit` before/after a date field of the item


class Timing(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    mode: TimingMode = TimingMode.IMMEDIATELY
    amount: int = Field(0, ge=0, le=100_000)
    unit: TimeUnit = TimeUnit.MINUTES
    at: AwareDatetime | None = None
    field: str | None = None
    direction: Literal["before", "after"] = "after"
    working_hours_only: bool = False
    # In the responsible person's own working hours (rules/staff_hours), outside their
    # absences; the company's hours for a person without hours of their own.
    responsible_hours: bool = False

    @model_validator(mode="after")
    def _complete(self) -> Timing:
        if self.mode is TimingMode.AT and self.at is None:
            raise ValueError("timing 'at' needs a moment")
        if self.mode is TimingMode.RELATIVE:
            name = self.field or ""
            custom = name.startswith("custom.") and len(name) > len("custom.")
            if not custom and name not in ITEM_DATE_FIELDS:
                raise ValueError(f"timing field must be custom.<name> or one of {ITEM_DATE_FIELDS}")
        return self


@dataclass(slots=True)
class Rule:
    id: int
    type_code: str
    pipeline_id: int
    stage_id: int
    position: int
    title: str
    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    execution: Execution = Execution.INDEPENDENT
    timing: Timing = field(default_factory=Timing)
    condition: dict[str, Any] | None = None
    enabled: bool = True
    origin: str | None = None
    created_by: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StageEntry:
    """One entry of an item into a stage: the stage_history row that recorded it."""

    id: int
    item_id: int
    stage_id: int
    from_stage_id: int | None
    at: datetime


@dataclass(slots=True)
class RuleRun:
    id: int
    item_id: int
    rule_id: int | None
    rule_title: str
    rule_kind: str
    stage_id: int
    entry_id: int
    position: int
    execution: Execution
    state: RunState
    due_at: datetime | None
    created_at: datetime
    depth: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    reason_code: str | None = None
    reason_params: dict[str, Any] = field(default_factory=dict)
    late: bool = False
    result: dict[str, Any] = field(default_factory=dict)


class OutboxState(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(slots=True)
class OutboxRow:
    id: int
    run_id: int | None
    dedupe_key: str
    chat_id: int | None
    kind: str
    payload: dict[str, Any]
    state: OutboxState
    attempts: int
    next_attempt_at: datetime
    created_at: datetime
    retry_after_until: datetime | None = None
    sent_message_id: int | None = None
    last_error: str | None = None
    sent_at: datetime | None = None
    channel: str = "telegram"


@dataclass(frozen=True, slots=True)
class AutomationStop:
    item_id: int
    entry_id: int
    stage_id: int
    stopped_by: int | None
    stopped_at: datetime
