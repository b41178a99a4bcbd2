"""Runs due while the bot was down, and the rule changes admins make."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.errors import PermissionDenied
from crm.models import Role, Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.errors import TemplateProblem
from rules.model import Execution, RunState, Timing, TimingMode
from rules.services.status import Shown
from rules.storage.unit import repos
from tests.conftest import add_staff
from tests.rules.conftest import RecordingTransport, add_rule, build_test_automation, stage_id


async def test_a_run_due_during_downtime_runs_at_start_up_marked_late(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "follow up"},
                   title="Follow up", timing=Timing(mode=TimingMode.DELAY, amount=30))
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await automation.tick()
    await automation.stop()  # the bot goes down for two hours
    clock.advance(hours=2)

    restarted = build_test_automation(services, transport)
    await restarted.tick()
    assert transport.texts() == ["follow up"]
    shown = (await restarted.status.status(admin, deal.id)).current[0]
    assert (shown.shown, shown.late) == (Shown.EXECUTED, True)


async def test_a_run_due_seconds_before_the_restart_is_marked_late_and_one_due_later_not(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "soon"},
                   title="Soon", timing=Timing(mode=TimingMode.DELAY, amount=30))
    await add_rule(automation, admin, new, "notify_responsible", {"text": "later"},
                   title="Later", timing=Timing(mode=TimingMode.DELAY, amount=60))
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await automation.stop()  # down just before the first rule falls due
    clock.advance(minutes=30, seconds=5)

    restarted = build_test_automation(services, transport)
    await restarted.tick()
    clock.advance(minutes=30)  # the second falls due while the bot is up
    await restarted.tick()
    assert transport.texts() == ["soon", "later"]
    shown = (await restarted.status.status(admin, deal.id)).current
    assert [(s.shown, s.late) for s in shown] == [(Shown.EXECUTED, True),
                                                   (Shown.EXECUTED, False)]
    await restarted.stop()


async def test_rules_are_not_retroactive_unless_applied_to_the_items_there(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    first = await services.items.create(admin, NewItem("deal", "One"))
    await services.items.create(admin, NewItem("deal", "Two"))
    rule = await add_rule(automation, admin, new, "notify_responsible", {"text": "hi"}, title="Hi")
    await automation.tick()
    assert transport.delivered == []
    assert (await automation.status.status(admin, first.id)).current[0].shown is \
        Shown.NOT_PLANNED
    assert await automation.rules.items_waiting_for(admin, rule.id) == 2
    assert await automation.rules.apply_to_existing(admin, rule.id) == 2
    await automation.tick()
    assert transport.texts() == ["hi", "hi"]
    assert await automation.rules.items_waiting_for(admin, rule.id) == 0


async def test_reorder_disable_copy_move_and_delete(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    won = await stage_id(services, "deal", "won")
    a = await add_rule(automation, admin, new, "notify_responsible", {"text": "a"}, title="A")
    b = await add_rule(automation, admin, new, "notify_responsible", {"text": "b"}, title="B")
    assert [r.title for r in await automation.rules.shift(admin, b.id, -1)] == ["B", "A"]
    assert (await automation.rules.set_enabled(admin, a.id, False)).enabled is False
    copy = await automation.rules.copy_to(admin, a.id, won)
    assert (copy.stage_id, copy.title, copy.enabled, copy.position) == (won, "A", False, 1)
    moved = await automation.rules.copy_to(admin, b.id, won, move=True)
    assert [r.title for r in await automation.rules.for_stage(admin, new)] == ["A"]
    assert [r.title for r in await automation.rules.for_stage(admin, won)] == ["A", "B"]
    await automation.rules.delete(admin, moved.id)
    assert [(r.title, r.position) for r in await automation.rules.for_stage(admin, won)] == [
        ("A", 1)]


async def test_deleting_a_rule_cancels_its_waiting_runs_and_releases_the_chain(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    waiting = await add_rule(automation, admin, new, "wait", title="pause",
                             timing=Timing(mode=TimingMode.DELAY, amount=60))
    await add_rule(automation, admin, new, "notify_responsible", {"text": "after"},
                   title="After", execution=Execution.AFTER_PREVIOUS)
    deal = await services.items.create(admin, NewItem("deal", "X"))
    await automation.tick()
    await automation.rules.delete(admin, waiting.id)
    await automation.tick()
    assert transport.texts() == ["after"]
    async with services.uow(write=False) as uow:
        states = [(r.rule_title, r.state, r.reason_code)
                  for r in await repos(uow).runs.for_item(deal.id)]
    assert states == [("pause", RunState.CANCELLED, "rule_deleted"), ("After", RunState.DONE, None)]


async def test_a_template_error_is_caught_when_the_rule_is_saved(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    with pytest.raises(TemplateProblem) as caught:
        await add_rule(automation, admin, new, "message_client",
                       {"text": "Hi {{ contact.name }}\n{{ deadline }}"})
    assert caught.value.params["line"] == 2
    assert "deadline" in caught.value.params["detail"]
    with pytest.raises(TemplateProblem) as missing:
        await add_rule(automation, admin, new, "message_client", {"template": "messages/nope.j2"})
    assert missing.value.reason == "template_not_found"


async def test_only_settings_holders_manage_rules(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    sales = await add_staff(services, admin, 2002, Role.SALES)
    new = await stage_id(services, "deal", "new")
    with pytest.raises(PermissionDenied):
        await add_rule(automation, sales, new, "notify_responsible", {"text": "x"})
    with pytest.raises(PermissionDenied):
        await automation.rules.for_stage(sales, new)
    await services.staff.set_settings_right(admin, sales.user_id, True)
    promoted = await services.staff.identify(sales.user_id)
    assert promoted is not None
    assert (await add_rule(automation, promoted, new, "notify_responsible", {"text": "x"})).id


async def test_working_hours_move_a_run_to_the_next_opening(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock) -> None:
    new = await stage_id(services, "deal", "new")
    clock.set(clock.now().replace(hour=18, minute=30))  # 19:30 in Berlin, Monday
    await add_rule(automation, admin, new, "notify_responsible", {"text": "x"}, title="Office",
                   timing=Timing(working_hours_only=True))
    deal = await services.items.create(admin, NewItem("deal", "Late"))
    shown = (await automation.status.status(admin, deal.id)).current[0]
    assert shown.shown is Shown.WAITING
    assert shown.at == clock.now().replace(hour=8, minute=0) + timedelta(days=1)  # 9:00 Berlin
