"""A client opens their start link: the client rules that could not reach them run again —
also when they open it while such a rule is being executed (prepared with no chat known,
applied after the chat was connected)."""

from __future__ import annotations

import pytest

from crm.container import CrmServices
from crm.models import Contact, Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.engine.prepare import Prepared, Preparer
from rules.engine.render_memo import RenderMemo
from rules.model import RunState
from rules.storage.unit import repos
from tests.rules.conftest import CLIENT_CHAT, RecordingTransport, add_rule, stage_id


async def _greeted_deal(services: CrmServices, admin: Staff, automation: Automation
                        ) -> tuple[Contact, int]:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "message_client",
                   {"text": "Hello {{ contact.name }}!"}, title="Greet")
    contact = await services.clients.create_contact(admin, "Bernd Offline")
    deal = await services.items.create(admin, NewItem("deal", "Stand", contact_id=contact.id))
    return contact, deal.id


async def _states(services: CrmServices, item_id: int) -> list[RunState]:
    async with services.uow(write=False) as uow:
        return [r.state for r in await repos(uow).runs.for_item(item_id)]


async def test_a_greeting_that_could_not_reach_the_client_goes_out_once_they_connect(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    contact, deal_id = await _greeted_deal(services, admin, automation)
    await automation.tick()
    assert await _states(services, deal_id) == [RunState.FAILED]
    await services.clients.connect_chat(contact.id, CLIENT_CHAT, "bernd", "en")
    await automation.tick()
    assert transport.texts(CLIENT_CHAT) == ["Hello Bernd Offline!"]
    assert await _states(services, deal_id) == [RunState.DONE]


async def test_a_client_connecting_while_their_greeting_is_prepared_gets_it(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport, monkeypatch: pytest.MonkeyPatch) -> None:
    contact, deal_id = await _greeted_deal(services, admin, automation)
    prepare = Preparer.prepare
    connected: list[int] = []

    async def prepare_then_connect(self: Preparer, run_ids: list[int], now: object,
                                   memo: RenderMemo) -> list[Prepared]:
        prepared = await prepare(self, run_ids, now, memo)  # type: ignore[arg-type]
        if not connected:  # the client opens the link between prepare and apply
            connected.append(contact.id)
            await services.clients.connect_chat(contact.id, CLIENT_CHAT, "bernd", "en")
        return prepared

    monkeypatch.setattr(Preparer, "prepare", prepare_then_connect)
    await automation.tick()
    await automation.tick()
    assert connected == [contact.id]
    assert transport.texts(CLIENT_CHAT) == ["Hello Bernd Offline!"]
    assert await _states(services, deal_id) == [RunState.DONE]
