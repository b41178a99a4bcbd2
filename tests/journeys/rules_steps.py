"""Steps for the /rules journeys: the deal stages by code, the rules stored in them, and
the message as it is now after a press edited it."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Role, Staff
from rules.model import Rule
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.steps import press

ACTOR = Staff(ADMIN_ID, "test", Role.ADMIN)


async def deal_stage(crm: CrmBot, code: str, pipeline: str = "General") -> int:
    pipelines = await crm.services.catalog.pipelines("deal")
    chosen = next(p for p in pipelines if p.name_en == pipeline)
    _pipeline, stages = await crm.services.catalog.pipeline(chosen.id)
    return next(s.id for s in stages if s.code == code or s.name_en.lower() == code)


async def rules_in(crm: CrmBot, code: str, pipeline: str = "General") -> list[Rule]:
    """The rules of a deal stage (by code, or by name for stages that have no code)."""
    return await crm.automation.rules.for_stage(ACTOR, await deal_stage(crm, code, pipeline))


async def tap(tg: FakeTelegram, user: FakeUser, message: SentMessage, button: str
              ) -> SentMessage:
    """Presses a button of a message the bot then edits in place; returns it as it is now."""
    await press(tg, user, message, button)
    return message  # the fake updates a message in place when the bot edits it
