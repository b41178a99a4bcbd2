""""Create activity": the assignee gets it with a "done" button, "done" fires the stage's
trigger, an overdue activity reminds its assignee once (also across a restart)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.model import RunState
from rules.services.status import Shown
from rules.storage.unit import repos
from rules.triggers.model import TriggerEvent
from rules.workflow import Workflow, WorkflowOptions, build_workflow
from tests.rules.conftest import RecordingTransport, add_rule, stage_id
from tests.rules.workflow.conftest import KEY, SELLER_ID

CALL = {"activity": "call", "subject": "Call {{ item.title }} about the offer",
        "deadline": "1 day before custom.deadline"}


async def test_a_rule_gives_the_assignee_an_activity_and_done_fires_the_trigger(
        services: CrmServices, admin: Staff, seller: Staff, automation: Automation,
        workflow: Workflow, transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    preparing = await stage_id(services, "deal", "preparing_documents")
    await add_rule(automation, admin, new, "create_activity", CALL, title="Call")
    await add_rule(automation, admin, preparing, "notify_responsible",
                   {"text": "Call done, prepare the documents"}, title="Next")
    await workflow.trigger_admin.add(admin, preparing, TriggerEvent.ACTIVITY_DONE)
    deal = await services.items.create(seller, NewItem(
        "deal", "Relaunch & more", custom={"deadline": "2026-11-26"}))
    await automation.tick()

    row = transport.delivered[0]
    assert row.chat_id == SELLER_ID
    assert row.payload["text"] == (
        f"📞 Anruf für Sie: <b>Call Relaunch &amp; more about the offer</b>\n"
        f"#{deal.id} · Relaunch &amp; more\nFällig: 25.11.26, 00:00")
    [activity] = await services.activities.mine(seller)
    assert (activity.kind, activity.subject) == ("call", "Call Relaunch & more about the offer")
    assert activity.deadline == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # Berlin midnight
    assert row.payload["buttons"] == [[
        {"text": "✅ Erledigt", "item_id": None, "url": None, "activity_id": activity.id},
        {"text": f"#{deal.id} öffnen", "item_id": deal.id, "url": None}]]
    card = await services.cards.card(seller, deal.id)
    assert [a.subject for a in card.activities] == [activity.subject]

    await services.activities.mark_done(seller, activity.id)
    await automation.tick()
    assert (await services.items.get(seller, deal.id)).stage_id == preparing
    assert transport.texts(SELLER_ID)[-1] == "Call done, prepare the documents"
    assert await services.activities.mine(seller) == []
    again = await services.activities.mark_done(seller, activity.id)  # a second press
    assert again.done and (await services.items.get(seller, deal.id)).stage_id == preparing


async def test_an_overdue_activity_reminds_its_assignee_once_even_after_a_restart(
        services: CrmServices, admin: Staff, seller: Staff, automation: Automation,
        workflow: Workflow, transport: RecordingTransport, clock: FrozenClock) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "create_activity",
                   {"subject": "Send the offer", "deadline": "after 2 hours"}, title="Task")
    deal = await services.items.create(seller, NewItem("deal", "Relaunch"))
    await workflow.tick()
    assert len(transport.delivered) == 1  # the activity itself

    clock.advance(hours=1, minutes=59)
    await workflow.tick()
    assert len(transport.delivered) == 1
    clock.advance(minutes=1)
    await workflow.tick()
    reminder = transport.delivered[-1]
    assert reminder.chat_id == SELLER_ID
    assert reminder.payload["text"] == (
        f"⏰ Fällig 23.11.26, 12:00: 📋 <b>Send the offer</b>\n#{deal.id} · Relaunch")
    clock.advance(hours=5)
    await workflow.tick()
    restarted = build_workflow(services, automation, WorkflowOptions(KEY, time(8, 30)))
    assert await restarted.reminders.drain() == 0
    await automation.tick()
    assert len(transport.delivered) == 2


async def test_test_mode_shows_the_activity_and_stores_nothing(
        services: CrmServices, admin: Staff, automation: Automation, workflow: Workflow) -> None:
    new = await stage_id(services, "deal", "new")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await add_rule(automation, admin, new, "create_activity",
                   {"activity": "meeting", "subject": "Kick-off {{ item.title }}",
                    "deadline": "after 3 days"}, title="Meet")
    preview = await automation.test_mode.preview(admin, deal.id)
    [rule] = preview.rules
    assert [(p.action, p.recipient) for p in rule.previews] == [
        ("change", "Meeting “Kick-off Relaunch” for Ada Admin, due 11/26/26, 10:00\u202fAM"),
        ("message", "Ada Admin")]
    assert "🤝 Meeting for you: <b>Kick-off Relaunch</b>" in rule.previews[1].text
    assert rule.previews[1].buttons == [[{"text": f"Open #{deal.id}", "item_id": deal.id,
                                          "url": None}]]
    async with services.uow(write=False) as uow:
        assert await uow.activities.open_for_item(deal.id) == []


async def test_an_empty_date_field_fails_the_run_with_its_reason(
        services: CrmServices, admin: Staff, automation: Automation, workflow: Workflow,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "create_activity", CALL, title="Call")
    deal = await services.items.create(admin, NewItem("deal", "No deadline"))
    await automation.tick()
    shown = (await automation.status.status(admin, deal.id)).current[0]
    assert (shown.shown, shown.reason) == (Shown.FAILED, "date_field_empty")
    assert transport.delivered == []
    async with services.uow(write=False) as uow:
        runs = await repos(uow).runs.for_item(deal.id)
    assert [r.state for r in runs] == [RunState.FAILED]
