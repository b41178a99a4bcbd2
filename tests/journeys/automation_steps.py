"""Steps for automation journeys: rules added through the service (their dialog has its own
journeys), a client who has connected their chat, a deal of that client."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from bot.app import CrmBot
from crm.models import Staff
from rules.model import Execution, Rule, Timing
from rules.storage.unit import repos
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.steps import all_items, say, staff_of

CLIENT_ID = 3001


async def add_rule(crm: CrmBot, by: int, stage_code: str, kind: str, params: dict[str, Any],
                   *, title: str, execution: Execution = Execution.INDEPENDENT,
                   timing: Timing | None = None, condition: dict[str, Any] | None = None,
                   type_code: str = "deal") -> Rule:
    actor = await staff_of(crm, by)
    assert isinstance(actor, Staff)
    pipelines = await crm.services.catalog.pipelines(type_code)
    _pipeline, stages = await crm.services.catalog.pipeline(pipelines[0].id)
    stage = next(s for s in stages if s.code == stage_code)
    return await crm.automation.rules.add(actor, Rule(
        id=0, type_code=type_code, pipeline_id=0, stage_id=stage.id, position=0, title=title,
        kind=kind, params=params, execution=execution, timing=timing or Timing(),
        condition=condition))


async def deal_with_connected_client(tg: FakeTelegram, crm: CrmBot, staff: FakeUser,
                                     title: str = "Relaunch", amount: str = "15.000 EUR"
                                     ) -> tuple[int, FakeUser]:
    """Staff creates a deal for Carl Client; Carl opens his start link and is connected."""
    await say(tg, staff, f"/new deal {title}; {amount}; Carl Client")
    deal = (await all_items(crm))[-1]
    assert deal.contact_id is not None
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    connected = await say(tg, carl, f"/start {crm.links.payload(deal.contact_id)}")
    assert "You are connected" in connected.rendered
    return deal.id, carl


async def move(tg: FakeTelegram, user: FakeUser, item_id: int, stage: str) -> SentMessage:
    """/move as staff type it; returns the card after the move. The new stage's rules due
    at once have run before it is shown, so what they sent may arrive before the card."""
    since = len(tg.sent)
    user.send(f"/move {item_id} {stage}")
    return await tg.wait_for_message(user.id, lambda m: "Moved to" in m.rendered, since=since)


async def all_sent(crm: CrmBot, seconds: float = 15.0) -> None:
    """Returns once every outbox row is recorded as sent: a message reaches Telegram a
    moment before the bot records it, and reads no longer wait for that write."""
    async def sent() -> bool:
        async with crm.services.uow(write=False) as uow:
            return set(await repos(uow).outbox.counts()) <= {"sent"}

    await stored(sent, seconds)


async def stored(condition: Callable[[], Awaitable[bool]], seconds: float = 15.0) -> None:
    """Returns once `condition` (a read of the database) holds: what the engine does after
    a reply is recorded a moment later, and reads do not wait for it."""
    async with asyncio.timeout(seconds):
        while True:
            if await condition():
                return
            await asyncio.sleep(0.01)


async def count_of(crm: CrmBot, sql: str) -> int:
    async with crm.services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(sql)
    return int(next(iter(rows))[0])
