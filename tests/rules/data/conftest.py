"""Helpers for the data, recurring and webhook kinds: runs as stored, the status reason in
words, and a restart (a new database connection, services and engine on the same file)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.models import Item, Staff
from crm.storage.database import Database
from rules.container import Automation
from rules.model import RunState
from rules.reasons import reason_text
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID
from tests.rules.conftest import RecordingTransport, build_test_automation


async def runs_of(services: CrmServices, item_id: int) -> list[tuple[str, RunState]]:
    async with services.uow(write=False) as uow:
        return [(r.rule_title, r.state) for r in await repos(uow).runs.for_item(item_id)]


async def item(services: CrmServices, item_id: int) -> Item:
    async with services.uow(write=False) as uow:
        found = await uow.items.get(item_id)
    assert found is not None
    return found


async def failure(automation: Automation, actor: Staff, item_id: int, title: str,
                  language: str = "en") -> str:
    """The reason the rule `title` failed with, as the status shows it (current stage
    first, then the stages before)."""
    status = await automation.status.status(actor, item_id)
    shown = [s for s in status.current + [r for g in status.earlier for r in g.rules]
             if s.title == title and s.reason]
    assert shown, status
    return reason_text(shown[0].reason, shown[0].params, language, shown[0].kind)


@asynccontextmanager
async def restarted(services: CrmServices, clock: FrozenClock,
                    transport: RecordingTransport) -> AsyncIterator[tuple[CrmServices, Automation]]:
    """The bot started again on the same database file: nothing kept in memory."""
    db = Database(services.db.location)
    await db.open()
    fresh = build_services(db, clock, admin_ids=[ADMIN_ID])
    automation = build_test_automation(fresh, transport)
    try:
        yield fresh, automation
    finally:
        await automation.stop()
        await db.close()


def titles(items: list[Any]) -> list[str]:
    return [i.title for i in items]
