"""The engine end to end below the bot: entering a stage plans its rules, due runs execute,
messages go through the outbox, and the status tells what happened."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.kinds.base import KindContext, Params
from rules.model import Execution, RunState, TimeUnit, Timing, TimingMode
from rules.services.status import Shown
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID
from tests.rules.conftest import (
    CLIENT_CHAT,
    RecordingTransport,
    add_rule,
    client_contact,
    stage_id,
)


async def _runs(services: CrmServices, item_id: int) -> list[tuple[str, RunState]]:
    async with services.uow(write=False) as uow:
        return [(r.rule_title, r.state) for r in await repos(uow).runs.for_item(item_id)]


async def test_a_move_sends_the_client_a_message_and_notifies_the_responsible(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "message_client",
                   {"text": "Thanks, {{ contact.name }}!"}, title="Thank")
    await add_rule(automation, admin, won, "notify_responsible",
                   {"text": "Won: {{ item.title }} for {{ item.amount|money }}"}, title="Tell")
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", amount=Decimal(15000),
                                                      contact_id=contact.id))
    await services.items.move(admin, deal.id, won)
    await automation.tick()

    assert transport.texts(CLIENT_CHAT) == ["Thanks, Anna Schmidt!"]
    assert transport.texts(ADMIN_ID) == ["Won: Relaunch for €15,000.00"]
    staff_row = next(r for r in transport.delivered if r.chat_id == ADMIN_ID)
    assert staff_row.payload["buttons"] == [[{"text": f"Open #{deal.id}", "item_id": deal.id,
                                              "url": None}]]
    assert await _runs(services, deal.id) == [("Thank", RunState.DONE), ("Tell", RunState.DONE)]


async def test_a_delayed_rule_waits_until_its_time_then_runs(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "Call the client"},
                   title="Reminder", timing=Timing(mode=TimingMode.DELAY, amount=2,
                                                   unit=TimeUnit.HOURS))
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await automation.tick()
    assert transport.delivered == []
    status = await automation.status.status(admin, deal.id)
    assert [(s.title, s.shown) for s in status.current] == [("Reminder", Shown.WAITING)]
    assert status.current[0].at == clock.now().replace(hour=11)

    clock.advance(hours=1, minutes=59)
    await automation.tick()
    assert transport.delivered == []
    clock.advance(minutes=1)
    await automation.tick()
    assert transport.texts(ADMIN_ID) == ["Call the client"]
    assert (await automation.status.status(admin, deal.id)).current[0].shown is Shown.EXECUTED


async def test_an_after_previous_chain_runs_in_order_with_its_pause(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "one"}, title="1")
    await add_rule(automation, admin, new, "wait", title="pause",
                   execution=Execution.AFTER_PREVIOUS,
                   timing=Timing(mode=TimingMode.DELAY, amount=30))
    await add_rule(automation, admin, new, "notify_responsible", {"text": "two"}, title="2",
                   execution=Execution.AFTER_PREVIOUS)
    deal = await services.items.create(admin, NewItem("deal", "Chain"))
    assert await _runs(services, deal.id) == [
        ("1", RunState.PENDING), ("pause", RunState.WAITING_PREVIOUS),
        ("2", RunState.WAITING_PREVIOUS)]
    await automation.tick()
    assert transport.texts() == ["one"]
    assert await _runs(services, deal.id) == [
        ("1", RunState.DONE), ("pause", RunState.WAITING), ("2", RunState.WAITING_PREVIOUS)]
    clock.advance(minutes=30)
    await automation.tick()
    assert transport.texts() == ["one", "two"]
    assert [s for _t, s in await _runs(services, deal.id)] == [RunState.DONE] * 3


async def test_a_false_condition_skips_and_explains_with_the_values(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "big one"},
                   title="Big", condition={"all": [{"field": "amount", "op": ">",
                                                    "value": "15000"}]})
    deal = await services.items.create(admin, NewItem("deal", "Small", amount=Decimal(12000)))
    await automation.tick()
    assert transport.delivered == []
    shown = (await automation.status.status(admin, deal.id)).current[0]
    assert shown.shown is Shown.NOT_TRIGGERED
    assert shown.checks == [{"field": "amount", "actual": "12000.00", "op": ">",
                             "expected": "15000", "passed": False}]


async def test_leaving_the_stage_cancels_the_waiting_rule_and_reentry_runs_it_again(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    preparing = await stage_id(services, "deal", "preparing_documents")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "late"}, title="Later",
                   timing=Timing(mode=TimingMode.DELAY, amount=10))
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await services.items.move(admin, deal.id, preparing)
    clock.advance(minutes=10)
    await automation.tick()
    assert transport.delivered == []
    status = await automation.status.status(admin, deal.id)
    assert status.earlier[0].rules[0].shown is Shown.CANCELLED
    assert status.earlier[0].rules[0].reason == "left_stage"

    await services.items.move(admin, deal.id, new)
    clock.advance(minutes=10)
    await automation.tick()
    assert transport.texts() == ["late"]


async def test_stop_ends_the_items_automation_in_its_stage(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "x"}, title="Later",
                   timing=Timing(mode=TimingMode.DELAY, amount=5))
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    assert await automation.stops.stop(admin, deal.id) == 1
    clock.advance(minutes=5)
    await automation.tick()
    assert transport.delivered == []
    shown = (await automation.status.status(admin, deal.id)).current[0]
    assert (shown.shown, shown.params) == (Shown.STOPPED, {"name": "Ada Admin"})


async def test_a_client_without_chat_fails_with_a_start_link(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "message_client", {"text": "hi"}, title="Greet")
    contact = await services.clients.create_contact(admin, "Bernd Offline")
    deal = await services.items.create(admin, NewItem("deal", "X", contact_id=contact.id))
    await automation.tick()
    shown = (await automation.status.status(admin, deal.id)).current[0]
    assert shown.shown is Shown.FAILED
    assert shown.reason == "client_not_started"
    assert shown.params["link"] == f"https://t.me/crm_test_bot?start=c{contact.id}"


async def test_a_template_error_fails_the_run_naming_template_line_and_name(
        services: CrmServices, admin: Staff, automation: Automation, tmp_path: Path) -> None:
    new = await stage_id(services, "deal", "new")
    rule = await add_rule(automation, admin, new, "notify_responsible",
                          {"text": "Hello\n{{ item.custom.deadline }}"}, title="Deadline")
    deal = await services.items.create(admin, NewItem("deal", "No deadline"))
    await automation.tick()
    shown = (await automation.status.status(admin, deal.id)).current[0]
    assert (shown.shown, shown.reason) == (Shown.FAILED, "template_error")
    assert shown.params["line"] == 2
    assert "deadline" in str(shown.params["detail"])
    assert rule.id


async def test_a_bug_in_a_kind_fails_only_that_run(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport, monkeypatch: pytest.MonkeyPatch) -> None:
    from rules.kinds import CATALOGUE
    from rules.kinds.wait import Wait

    class Broken(Wait):
        async def execute(self, ctx: KindContext, params: Params) -> None:
            await ctx.effects.send_message(  # queued, then rolled back with the run
                __import__("rules.kinds.recipients", fromlist=["x"]).responsible(ctx), "half")
            raise ZeroDivisionError("a bug")

    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "wait", title="Broken")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "still here"},
                   title="Fine", execution=Execution.AFTER_PREVIOUS)
    monkeypatch.setitem(CATALOGUE, "wait", Broken())
    deal = await services.items.create(admin, NewItem("deal", "X"))
    await automation.tick()
    assert await _runs(services, deal.id) == [("Broken", RunState.FAILED), ("Fine", RunState.DONE)]
    assert transport.texts() == ["still here"]
    shown = (await automation.status.status(admin, deal.id)).current[0]
    assert shown.reason == "internal_error"
