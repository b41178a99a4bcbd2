"""What the rules benchmarks share: a fresh database with the CRM and its engine."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from crm.clock import Clock
from crm.container import CrmServices, build_services
from crm.models import Staff
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from rules.config import EngineConfig
from rules.container import Automation, build_automation
from rules.outbox.pacing import Pacer
from rules.ports import Transport
from rules.rendering import Renderer

ROOT = Path(__file__).resolve().parents[1]
ADMIN_ID = 1


class SwitchableClock:
    """Frozen at set moments while a benchmark prepares, real time once released."""

    def __init__(self) -> None:
        self.frozen: datetime | None = None

    def now(self) -> datetime:
        return self.frozen or datetime.now(UTC)


class NoTransport:
    async def deliver(self, row: object) -> int:
        raise AssertionError("this benchmark delivers nothing")


async def engine(folder: Path, clock: Clock, transports: Mapping[str, Transport] | None = None,
                 pacer: Pacer | None = None) -> tuple[Database, CrmServices, Automation, Staff]:
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    db = Database(folder / "crm.sqlite3")
    await db.open()
    services = build_services(db, clock, admin_ids=[ADMIN_ID])
    automation = build_automation(
        services, EngineConfig(), Renderer(ROOT / "templates"),
        transports or {"telegram": NoTransport()}, pacer)
    admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
    assert admin is not None
    return db, services, automation, admin


def stage(services: CrmServices, code: str) -> int:
    """Stage ids of the shipped deal pipeline (migration 002)."""
    return {"new": 6, "preparing_documents": 7, "won": 11}[code]
