"""Wait for the client's reply or a condition (with a time-out): the rules after it are held
until the client wrote, the condition holds or the time-out passed, and /status says what it
waits for until when. Complete open activities: of a kind, of one assignee."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Staff
from crm.services.inquiries import ClientInfo
from crm.services.items import NewItem
from rules.container import Automation
from rules.model import Execution, RunState
from rules.services.status import Shown
from rules.storage.unit import repos
from rules.triggers.model import TriggerEvent
from rules.workflow import Workflow
from tests.conftest import ADMIN_ID
from tests.rules.conftest import (
    CLIENT_CHAT,
    RecordingTransport,
    add_rule,
    client_contact,
    stage_id,
)
from tests.rules.data.conftest import runs_of
from tests.rules.workflow.conftest import SELLER_ID

CLIENT = ClientInfo(user_id=CLIENT_CHAT, chat_id=CLIENT_CHAT, name="Anna Schmidt")
REPLY = {"until": "reply", "amount": 2, "unit": "days"}


async def _waiting_deal(services: CrmServices, admin: Staff, automation: Automation,
                        params: dict[str, object], amount: int = 100) -> int:
    """A deal of the client in "in progress", whose first rule waits and whose second one
    tells the responsible person after it."""
    in_progress = await stage_id(services, "deal", "in_progress")
    await add_rule(automation, admin, in_progress, "wait_for", params, title="Wait")
    await add_rule(automation, admin, in_progress, "notify_responsible",
                   {"text": "Go on with {{ item.title }}"}, title="Follow up",
                   execution=Execution.AFTER_PREVIOUS)
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", contact_id=contact.id,
                                                      amount=Decimal(amount)))
    await services.items.move(admin, deal.id, in_progress)
    await automation.tick()
    return deal.id


async def _result(services: CrmServices, item_id: int, title: str) -> dict[str, object]:
    async with services.uow(write=False) as uow:
        runs = await repos(uow).runs.for_item(item_id)
    return next(r.result for r in runs if r.rule_title == title)


async def test_the_clients_reply_releases_the_rules_after_the_wait(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    started = clock.now()
    deal = await _waiting_deal(services, admin, automation, REPLY)
    assert await runs_of(services, deal) == [("Wait", RunState.WAITING),
                                             ("Follow up", RunState.WAITING_PREVIOUS)]
    status = await automation.status.status(admin, deal)
    wait = status.current[0]
    assert (wait.shown, wait.waits_for, wait.at) == (Shown.WAITING, "reply",
                                                     started + timedelta(days=2))
    clock.advance(hours=3)
    await automation.tick()
    assert transport.texts(ADMIN_ID) == []  # nothing wrote yet: still held

    await services.inquiries.receive(CLIENT, "Sounds good!", clock.now())
    await automation.tick()
    assert await runs_of(services, deal) == [("Wait", RunState.DONE),
                                             ("Follow up", RunState.DONE)]
    assert transport.texts(ADMIN_ID) == ["Go on with Relaunch"]
    assert (await _result(services, deal, "Wait"))["released"] == "reply"


async def test_the_time_out_releases_them_when_nobody_wrote(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    deal = await _waiting_deal(services, admin, automation, REPLY)
    clock.advance(days=1, hours=23)
    await automation.tick()
    assert transport.texts(ADMIN_ID) == []
    clock.advance(hours=1)
    await automation.tick()
    assert transport.texts(ADMIN_ID) == ["Go on with Relaunch"]
    assert (await _result(services, deal, "Wait"))["released"] == "timeout"


async def test_a_condition_is_waited_for_and_checked_again(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    deal = await _waiting_deal(services, admin, automation,
                               {"until": "condition", "condition": "Betrag > 1000",
                                "amount": 1, "unit": "days"})
    status = await automation.status.status(admin, deal)
    assert (status.current[0].waits_for, status.current[0].wait_condition) == (
        "condition", "amount > 1000")
    clock.advance(minutes=5)
    await automation.tick()
    assert transport.texts(ADMIN_ID) == []  # checked again: it does not hold yet
    await services.editing.edit(admin, deal, "amount", "2000")
    clock.advance(minutes=5)
    await automation.tick()
    assert transport.texts(ADMIN_ID) == ["Go on with Relaunch"]
    assert (await _result(services, deal, "Wait"))["released"] == "condition"


async def test_a_condition_that_holds_at_once_holds_nothing_and_leaving_ends_a_wait(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    deal = await _waiting_deal(services, admin, automation,
                               {"until": "condition", "condition": "amount > 10",
                                "amount": 1, "unit": "hours"}, amount=50)
    assert transport.texts(ADMIN_ID) == ["Go on with Relaunch"]
    other = await services.items.create(admin, NewItem("deal", "Other", amount=Decimal(1)))
    in_progress = await stage_id(services, "deal", "in_progress")
    await services.items.move(admin, other.id, in_progress)
    await automation.tick()
    await services.items.move(admin, other.id, await stage_id(services, "deal", "won"))
    assert [s for t, s in await runs_of(services, other.id)
            if t == "Wait"] == [RunState.CANCELLED]
    assert deal != other.id


async def test_test_mode_says_what_it_would_wait_for(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    in_progress = await stage_id(services, "deal", "in_progress")
    await add_rule(automation, admin, in_progress, "wait_for", REPLY, title="Wait")
    await add_rule(automation, admin, in_progress, "wait_for",
                   {"until": "condition", "condition": "amount > 10", "amount": 3,
                    "unit": "hours"}, title="Amount")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", amount=Decimal(5)))
    preview = await automation.test_mode.preview(admin, deal.id, in_progress)
    said = {r.rule.title: [p.recipient for p in r.previews] for r in preview.rules}
    assert said == {
        "Wait": ["wait for the client’s reply, at most until Nov 25, 2026, 10:00:00\u202fAM"],
        "Amount": ["wait until amount > 10, at most until Nov 23, 2026, 1:00:00\u202fPM"],
    }


async def test_open_activities_are_completed_by_kind_and_assignee(
        services: CrmServices, admin: Staff, seller: Staff, automation: Automation,
        workflow: Workflow) -> None:
    won = await stage_id(services, "deal", "won")
    lost = await stage_id(services, "deal", "lost")
    await add_rule(automation, admin, won, "complete_activities",
                   {"activity": "call", "user_id": seller.user_id}, title="Calls")
    await add_rule(automation, admin, lost, "complete_activities", {}, title="All")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    mine = await services.activities.add(admin, deal.id, "call", "My call", None, ADMIN_ID)
    theirs = await services.activities.add(admin, deal.id, "call", "Their call", None,
                                           seller.user_id)
    task = await services.activities.add(admin, deal.id, "task", "Their task", None,
                                         seller.user_id)
    preview = await automation.test_mode.preview(admin, deal.id, won)
    assert [p.recipient for p in preview.rules[0].previews] == [
        "mark 1 open activity done: “Their call”"]
    await services.items.move(admin, deal.id, won)
    await automation.tick()
    open_now = await services.activities.open_for_item(admin, deal.id)
    assert {a.id for a in open_now} == {mine.id, task.id}
    assert theirs.id not in {a.id for a in open_now}

    preview = await automation.test_mode.preview(admin, deal.id, lost)
    assert [p.recipient for p in preview.rules[0].previews] == [
        "mark 2 open activities done: “My call”, “Their task”"]
    await services.items.move(admin, deal.id, lost)
    await automation.tick()
    assert await services.activities.open_for_item(admin, deal.id) == []


async def test_a_completed_activity_fires_the_activity_done_trigger(
        services: CrmServices, admin: Staff, automation: Automation,
        workflow: Workflow) -> None:
    new = await stage_id(services, "deal", "new")
    preparing = await stage_id(services, "deal", "preparing_documents")
    await workflow.trigger_admin.add(admin, preparing, TriggerEvent.ACTIVITY_DONE)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await services.activities.add(admin, deal.id, "task", "Check", None, ADMIN_ID)
    await add_rule(automation, admin, new, "complete_activities", {"activity": "task"},
                   title="Done")
    await services.items.move(admin, deal.id, preparing)
    await services.items.move(admin, deal.id, new)
    await automation.tick()
    assert (await services.items.get(admin, deal.id)).stage_id == preparing


async def test_a_new_responsible_person_makes_a_condition_look_again_at_once(
        services: CrmServices, admin: Staff, seller: Staff, automation: Automation,
        clock: FrozenClock, transport: RecordingTransport) -> None:
    deal = await _waiting_deal(services, admin, automation,
                               {"until": "condition",
                                "condition": f'responsible.name = "{seller.name}"',
                                "amount": 1, "unit": "days"})
    clock.advance(seconds=30)  # long before the next check
    await services.editing.assign(admin, deal, str(seller.user_id))
    await automation.tick()
    assert transport.texts(SELLER_ID) == ["Go on with Relaunch"]
    assert (await _result(services, deal, "Wait"))["released"] == "condition"
