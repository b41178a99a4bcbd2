"""Fixtures for the engine: the real services on a real SQLite file, a recording transport
in place of Telegram, the frozen clock, and rule helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from crm.container import CrmServices
from crm.models import Contact, Staff
from rules.config import EngineConfig
from rules.container import Automation, build_automation
from rules.model import Execution, OutboxRow, Rule, Timing
from rules.outbox.pacing import Pacer
from rules.ports import SendError
from rules.rendering import Renderer
from rules.timing import WorkingHours

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
CLIENT_CHAT = 777


@dataclass
class RecordingTransport:
    """Takes every row it is given; `failures` are raised first, one per delivery."""

    delivered: list[OutboxRow] = field(default_factory=list)
    failures: list[SendError] = field(default_factory=list)
    attempts: int = 0

    async def deliver(self, row: OutboxRow) -> int:
        self.attempts += 1
        if self.failures:
            raise self.failures.pop(0)
        self.delivered.append(row)
        return 1000 + len(self.delivered)

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [r.payload["text"] for r in self.delivered
                if chat_id is None or r.chat_id == chat_id]


@pytest.fixture
def transport() -> RecordingTransport:
    return RecordingTransport()


def build_test_automation(services: CrmServices, transport: RecordingTransport) -> Automation:
    """The engine as the bot builds it, with the recording transport and no pacing; a
    pause Telegram asks for passes when the test moves the clock."""
    config = EngineConfig(
        timezone="Europe/Berlin", default_language="en",
        working_hours=WorkingHours("Europe/Berlin"),
        start_link=lambda contact_id: f"https://t.me/crm_test_bot?start=c{contact_id}")
    renderer = Renderer(TEMPLATES, timezone="Europe/Berlin")
    return build_automation(services, config, renderer, {"telegram": transport},
                            pacer=Pacer(per_second=float("inf"), chat_interval=0.0,
                                        monotonic=lambda: services.clock.now().timestamp()))


@pytest.fixture
async def automation(services: CrmServices, transport: RecordingTransport
                     ) -> AsyncIterator[Automation]:
    built = build_test_automation(services, transport)
    yield built
    await built.stop()


async def client_contact(services: CrmServices, chat_id: int = CLIENT_CHAT,
                         name: str = "Anna Schmidt", language: str = "en") -> Contact:
    """A contact who has written to the bot (so messages can reach them)."""
    async with services.uow() as uow:
        contact = await uow.clients.add_contact(
            Contact(0, name, tg_chat_id=chat_id, language=language), services.clock.now())
        await uow.commit()
    return contact


async def stage_id(services: CrmServices, type_code: str, code: str) -> int:
    pipelines = await services.catalog.pipelines(type_code)
    _pipeline, stages = await services.catalog.pipeline(pipelines[0].id)
    return next(s.id for s in stages if s.code == code)


async def add_rule(automation: Automation, actor: Staff, stage: int, kind: str,
                   params: dict[str, Any] | None = None, *, title: str = "",
                   execution: Execution = Execution.INDEPENDENT, timing: Timing | None = None,
                   condition: dict[str, Any] | None = None) -> Rule:
    rule = Rule(id=0, type_code="", pipeline_id=0, stage_id=stage, position=0, title=title,
                kind=kind, params=params or {}, execution=execution,
                timing=timing or Timing(), condition=condition)
    return await automation.rules.add(actor, rule)
