"""Steps for CRM-mode journeys: classic mode with open leads, waiting for a background
switch to finish, reading what is stored."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.app import CrmBot
from crm.models import CrmMode, Item, Role, Staff
from crm.services.items import NewItem
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, SentMessage
from tests.journeys.steps import all_items

ADMIN = Staff(ADMIN_ID, "Ada Admin", Role.ADMIN)


async def classic_with_leads(crm: CrmBot, n: int, **custom: Any) -> list[Item]:
    """Classic mode and `n` open leads with client data (set up through the services: the
    journeys are about what happens to them)."""
    await crm.services.mode.switch_to_classic(ADMIN)
    return [await crm.services.items.create(ADMIN, NewItem(
        "lead", f"Lead {i}", amount=Decimal(100 + i), source="website",
        custom={"name": f"Client {i}", "company_name": f"Firm {i}", **custom}))
        for i in range(n)]


async def switch_summary(tg: FakeTelegram, chat_id: int, since: int = 0,
                         timeout: float = 10.0) -> SentMessage:  # noqa: ASYNC109 - a test step
    """The progress message, once the background switch has edited its summary into it."""
    await tg.wait_for_call("editMessageText",
                           lambda c: "✅" in str(c.params.get("text", ""))
                           and c.params.get("chat_id") == chat_id,
                           since=since, timeout=timeout)
    found = [m for m in tg.messages_to(chat_id) if m.text and "✅" in m.text]
    return found[-1]


async def items_of(crm: CrmBot, type_code: str) -> list[Item]:
    return [i for i in await all_items(crm) if i.type_code == type_code]


async def mode_of(crm: CrmBot) -> CrmMode:
    return await crm.services.mode.mode()


async def stage_code(crm: CrmBot, item_id: int) -> str | None:
    return (await crm.services.cards.card(ADMIN, item_id)).stage.code
