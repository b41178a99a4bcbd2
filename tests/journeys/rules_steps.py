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


async def deal_stage(crm: CrmBot, code: str) -> int:
    pipelines = await crm.services.catalog.pipelines("deal")
    _pipeline, stages = await crm.services.catalog.pipeline(pipelines[0].id)
    return next(s.id for s in stages if s.code == code)


async def rules_in(crm: CrmBot, code: str) -> list[Rule]:
    return await crm.automation.rules.for_stage(ACTOR, await deal_stage(crm, code))


async def tap(tg: FakeTelegram, user: FakeUser, message: SentMessage, button: str
              ) -> SentMessage:
    """Presses a button of a message the bot then edits in place; returns it as it is now."""
    await press(tg, user, message, button)
    return message  # the fake updates a message in place when the bot edits it
