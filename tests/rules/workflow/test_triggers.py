"""Triggers move items forward when a client writes, a webhook is called or a client
presses a button a rule sent; never backwards unless they say so; forged calls and
presses change nothing."""

from __future__ import annotations

import pytest

from crm.container import CrmServices
from crm.errors import Conflict, NotFound, PermissionDenied
from crm.models import Staff, TimelineKind
from crm.services.inquiries import ClientInfo
from crm.services.items import NewItem
from rules.container import Automation
from rules.triggers.model import TriggerEvent
from rules.triggers.moves import Outcome
from rules.triggers.service import CallRefused
from rules.workflow import Workflow
from tests.rules.conftest import CLIENT_CHAT, RecordingTransport, add_rule, client_contact, stage_id

CLIENT = ClientInfo(user_id=CLIENT_CHAT, chat_id=CLIENT_CHAT, name="Anna Schmidt")


async def _stage_of(services: CrmServices, admin: Staff, item_id: int) -> int:
    return (await services.items.get(admin, item_id)).stage_id


async def test_a_clients_message_moves_the_item_forward_and_runs_the_stages_rules(
        services: CrmServices, admin: Staff, automation: Automation, workflow: Workflow,
        transport: RecordingTransport) -> None:
    in_progress = await stage_id(services, "deal", "in_progress")
    await workflow.trigger_admin.add(admin, in_progress, TriggerEvent.CLIENT_MESSAGE)
    await add_rule(automation, admin, in_progress, "message_client",
                   {"text": "Thanks, {{ contact.name }}, we are on it"}, title="Ack")
    first = await services.inquiries.receive(CLIENT, "I need a website", services.clock.now())
    assert first.created and await _stage_of(services, admin, first.item_id) != in_progress
    second = await services.inquiries.receive(CLIENT, "Any news?", services.clock.now())
    assert second.item_id == first.item_id
    assert await _stage_of(services, admin, first.item_id) == in_progress
    await automation.tick()
    assert transport.texts(CLIENT_CHAT) == ["Thanks, Anna Schmidt, we are on it"]


async def test_a_trigger_never_moves_backwards_unless_it_says_so(
        services: CrmServices, admin: Staff, workflow: Workflow) -> None:
    preparing = await stage_id(services, "deal", "preparing_documents")
    in_progress = await stage_id(services, "deal", "in_progress")
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", contact_id=contact.id))
    await services.items.move(admin, deal.id, in_progress)
    trigger = await workflow.trigger_admin.add(admin, preparing, TriggerEvent.WEBHOOK)
    signature = workflow.triggers.signer.sign(trigger.id, deal.id)
    fired = await workflow.triggers.call_webhook(trigger.id, deal.id, signature)
    assert fired.outcome is Outcome.BACKWARDS
    assert await _stage_of(services, admin, deal.id) == in_progress

    await workflow.trigger_admin.delete(admin, trigger.id)
    back = await workflow.trigger_admin.add(admin, preparing, TriggerEvent.WEBHOOK,
                                            backwards=True)
    assert back.id != trigger.id  # an old URL never reaches a new trigger
    fired = await workflow.triggers.call_webhook(
        back.id, deal.id, workflow.triggers.signer.sign(back.id, deal.id))
    assert fired.moved and await _stage_of(services, admin, deal.id) == preparing


async def test_a_webhook_with_a_bad_signature_changes_nothing(
        services: CrmServices, admin: Staff, workflow: Workflow) -> None:
    won = await stage_id(services, "deal", "won")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    trigger = await workflow.trigger_admin.add(admin, won, TriggerEvent.WEBHOOK)
    signer = workflow.triggers.signer
    good = signer.sign(trigger.id, deal.id)
    for bad in ("0" * 32, good[:-1] + "x", "ü" * 32, signer.sign(trigger.id + 1, deal.id),
                signer.sign(trigger.id, deal.id + 1)):
        with pytest.raises(CallRefused):
            await workflow.triggers.call_webhook(trigger.id, deal.id, bad)
    before = await services.items.get(admin, deal.id)
    assert before.stage_id != won and before.version == 1
    assert (await workflow.triggers.call_webhook(trigger.id, deal.id, good)).moved
    assert await _stage_of(services, admin, deal.id) == won


async def test_a_url_moves_only_its_own_item_and_every_refusal_is_the_same(
        services: CrmServices, admin: Staff, workflow: Workflow) -> None:
    """The signature binds trigger and item: the URL of deal A cannot move deal B; and an
    unknown item, a deleted trigger, an item of another pipeline are one and the same
    refusal, so that a caller learns nothing about which ids exist."""
    won = await stage_id(services, "deal", "won")
    first = await services.items.create(admin, NewItem("deal", "Relaunch"))
    other = await services.items.create(admin, NewItem("deal", "Shop"))
    wholesale = await services.catalog.add_pipeline(admin, "deal", "Wholesale")
    bulk = await services.items.create(admin, NewItem("deal", "Bulk", pipeline_id=wholesale.id))
    trigger = await workflow.trigger_admin.add(admin, won, TriggerEvent.WEBHOOK)
    gone = await workflow.trigger_admin.add(admin, await stage_id(services, "deal", "lost"),
                                            TriggerEvent.WEBHOOK)
    await workflow.trigger_admin.delete(admin, gone.id)
    sign = workflow.triggers.signer.sign
    calls = [(trigger.id, other.id, sign(trigger.id, first.id)),  # A's URL, item B
             (trigger.id, 999_999, sign(trigger.id, 999_999)),  # no such item
             (gone.id, first.id, sign(gone.id, first.id)),  # a deleted trigger
             (trigger.id, bulk.id, sign(trigger.id, bulk.id))]  # another pipeline
    refusals = []
    for trigger_id, item_id, signature in calls:
        with pytest.raises(CallRefused) as refused:
            await workflow.triggers.call_webhook(trigger_id, item_id, signature)
        refusals.append(refused.value.code)
    assert refusals == ["trigger_call_refused"] * 4
    for item in (first, other, bulk):
        assert (await services.items.get(admin, item.id)).version == 1
    path = await workflow.triggers.webhook_url_path(admin, trigger.id, first.id)
    assert path == f"/hooks/trigger/{trigger.id}/{first.id}/{sign(trigger.id, first.id)}"
    with pytest.raises(NotFound):
        await workflow.triggers.webhook_url_path(admin, trigger.id, bulk.id)


async def _offer_rules(services: CrmServices, admin: Staff, automation: Automation,
                       backwards: bool) -> tuple[int, int]:
    """An offer with two buttons on "preparing documents", a thank-you on "won"."""
    preparing = await stage_id(services, "deal", "preparing_documents")
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, preparing, "message_client", {
        "text": "Here is your offer", "buttons": [
            {"text": "Accept the offer", "stage": "won"},
            {"text": "Call me back", "stage": "new", "backwards": backwards}]}, title="Offer")
    await add_rule(automation, admin, won, "message_client", {"text": "Thank you!"},
                   title="Thanks")
    return preparing, won


async def test_a_clients_button_moves_the_item_and_a_foreign_press_does_nothing(
        services: CrmServices, admin: Staff, automation: Automation, workflow: Workflow,
        transport: RecordingTransport) -> None:
    preparing, _won = await _offer_rules(services, admin, automation, backwards=False)
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", contact_id=contact.id))
    preview = await automation.test_mode.preview(admin, deal.id, preparing)  # stores nothing
    assert [p.recipient for p in preview.rules[0].previews] == [
        "buttons for the client: “Accept the offer” → Won, “Call me back” → New",
        "Anna Schmidt"]
    await services.items.move(admin, deal.id, preparing)
    await automation.tick()
    [offer] = transport.delivered
    accept = offer.payload["buttons"][0][0]["client_token"]
    assert offer.payload["buttons"][0][0]["text"] == "Accept the offer"

    assert await workflow.triggers.press(CLIENT_CHAT + 1, accept) is None  # another client
    assert await workflow.triggers.press(CLIENT_CHAT, accept + 1) is None  # a made-up token
    assert await _stage_of(services, admin, deal.id) == preparing
    pressed = await workflow.triggers.press(CLIENT_CHAT, accept)
    assert pressed is not None and pressed.fired is not None and pressed.fired.moved
    assert pressed.label == "Accept the offer"
    await automation.tick()
    assert transport.texts(CLIENT_CHAT) == ["Here is your offer", "Thank you!"]
    async with services.uow(write=False) as uow:
        timeline = await uow.timeline.for_item(deal.id)
    assert [(e.kind, e.text) for e in timeline] == [
        (TimelineKind.CLIENT_BUTTON, "Accept the offer")]


async def test_a_client_button_acts_once_and_only_while_its_offer_stands(
        services: CrmServices, admin: Staff, automation: Automation, workflow: Workflow,
        transport: RecordingTransport) -> None:
    """The won deal is not reopened by an old "Call me back", nor accepted five times."""
    preparing, won = await _offer_rules(services, admin, automation, backwards=True)
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", contact_id=contact.id))
    await services.items.move(admin, deal.id, preparing)
    await automation.tick()
    [offer] = transport.delivered
    accept, call_back = (row[0]["client_token"] for row in offer.payload["buttons"])
    first = await workflow.triggers.press(CLIENT_CHAT, accept)
    assert first is not None and first.fired is not None and first.fired.moved
    for _ in range(5):
        for token in (call_back, accept):
            later = await workflow.triggers.press(CLIENT_CHAT, token)
            assert later is not None and later.fired is None
    await automation.tick()
    assert await _stage_of(services, admin, deal.id) == won
    assert transport.texts(CLIENT_CHAT) == ["Here is your offer", "Thank you!"]
    async with services.uow(write=False) as uow:
        history = await uow.items.history(deal.id)
        timeline = await uow.timeline.for_item(deal.id)
    assert [h.to_stage_id for h in history][-2:] == [preparing, won]
    assert len(history) == 3
    assert len(timeline) == 1


async def test_an_offer_from_an_earlier_stay_in_the_stage_no_longer_stands(
        services: CrmServices, admin: Staff, automation: Automation, workflow: Workflow,
        transport: RecordingTransport) -> None:
    preparing = await stage_id(services, "deal", "preparing_documents")
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, preparing, "message_client", {
        "text": "Here is your offer", "buttons": [{"text": "Accept", "stage": "won"}]},
        title="Offer")
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", contact_id=contact.id))
    await services.items.move(admin, deal.id, preparing)
    await automation.tick()
    old_accept = transport.delivered[0].payload["buttons"][0][0]["client_token"]
    await services.items.move(admin, deal.id, new)
    pressed = await workflow.triggers.press(CLIENT_CHAT, old_accept)  # left the stage
    assert pressed is not None and pressed.fired is None
    await services.items.move(admin, deal.id, preparing)  # a new offer is sent
    await automation.tick()
    pressed = await workflow.triggers.press(CLIENT_CHAT, old_accept)  # the old one is stale
    assert pressed is not None and pressed.fired is None
    assert await _stage_of(services, admin, deal.id) == preparing
    new_accept = transport.delivered[1].payload["buttons"][0][0]["client_token"]
    pressed = await workflow.triggers.press(CLIENT_CHAT, new_accept)
    assert pressed is not None and pressed.fired is not None and pressed.fired.moved


async def test_only_settings_holders_manage_triggers_one_per_event_and_stage(
        services: CrmServices, admin: Staff, seller: Staff, workflow: Workflow) -> None:
    won = await stage_id(services, "deal", "won")
    with pytest.raises(PermissionDenied):
        await workflow.trigger_admin.add(seller, won, TriggerEvent.WEBHOOK)
    await workflow.trigger_admin.add(admin, won, TriggerEvent.WEBHOOK)
    with pytest.raises(Conflict):
        await workflow.trigger_admin.add(admin, won, TriggerEvent.WEBHOOK)
    [view] = await workflow.trigger_admin.list(admin, "deal")
    assert (view.stage.code, view.trigger.event) == ("won", TriggerEvent.WEBHOOK)
    assert await workflow.trigger_admin.list(admin, "lead") == []
    with pytest.raises(NotFound):
        await workflow.trigger_admin.list(admin, "nonsense")
