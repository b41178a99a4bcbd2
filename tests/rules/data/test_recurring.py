"""Copies of an item: once, and on a schedule that lives in the database — made when the
clock reaches it (moved, never slept), caught up once after a restart, ended by a loss or
by /schedules' stop."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.errors import PermissionDenied
from crm.models import Product, Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from rules.container import Automation
from rules.errors import RuleInvalid
from rules.model import RunState
from rules.recurring.schedule import Calendar, CopySchedule, Repeat, next_after, occurrence_at
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID, add_staff
from tests.rules.conftest import RecordingTransport, add_rule, stage_id
from tests.rules.data.conftest import item, restarted, runs_of

BERLIN = Calendar(ZoneInfo("Europe/Berlin"), time(9, 0))


def schedule(repeat: Repeat, anchor: datetime, every: int = 1, day: int | None = None
             ) -> CopySchedule:
    return CopySchedule(id=1, origin_id=1, rule_id=None, run_id=None, pipeline_id=2, stage_id=6,
                        repeat=repeat, every=every, anchor_at=anchor, created_at=anchor, day=day)


def test_months_count_from_the_anchor_and_keep_the_wall_clock_time() -> None:
    jan31 = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)  # 10:30 in Berlin (winter time)
    monthly = schedule(Repeat.MONTHS, jan31)
    at = [occurrence_at(monthly, n, BERLIN).astimezone(BERLIN.zone) for n in (1, 2, 3, 4)]
    assert [(a.month, a.day, a.hour, a.minute) for a in at] == [
        (2, 28, 10, 30), (3, 31, 10, 30), (4, 30, 10, 30), (5, 31, 10, 30)]  # summer time too
    assert occurrence_at(schedule(Repeat.WEEKS, jan31, every=2), 1, BERLIN) == \
        datetime(2026, 2, 14, 9, 30, tzinfo=UTC)


def test_a_day_of_the_month_falls_at_opening_time_and_on_the_last_day_when_shorter() -> None:
    on_31 = schedule(Repeat.MONTH_DAY, datetime(2026, 1, 31, 12, 0, tzinfo=UTC), day=31)
    days = [occurrence_at(on_31, n, BERLIN).astimezone(BERLIN.zone) for n in (1, 2)]
    assert [(d.month, d.day, d.hour) for d in days] == [(2, 28, 9), (3, 31, 9)]
    first = schedule(Repeat.MONTH_DAY, datetime(2026, 1, 10, 12, 0, tzinfo=UTC), every=3, day=15)
    assert [occurrence_at(first, n, BERLIN).date().isoformat() for n in (1, 2)] == [
        "2026-01-15", "2026-04-15"]


def test_after_downtime_the_next_occurrence_is_the_first_one_still_ahead() -> None:
    daily = schedule(Repeat.DAYS, datetime(2026, 1, 1, 8, 0, tzinfo=UTC))
    n, at = next_after(daily, datetime(2026, 1, 10, 12, 0, tzinfo=UTC), BERLIN)
    assert (n, at) == (10, datetime(2026, 1, 11, 8, 0, tzinfo=UTC))


async def _won_deal(services: CrmServices, admin: Staff, title: str = "Maintenance") -> int:
    deal = await services.items.create(admin, NewItem(
        "deal", title, products=[Product("Service", Decimal(400), Decimal(2))]))
    await services.items.move(admin, deal.id, await stage_id(services, "deal", "won"))
    return deal.id


async def _copies(services: CrmServices, origin: int) -> list[int]:
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            "SELECT copy_id FROM item_copies WHERE origin_id = ? ORDER BY copy_id", (origin,))
        return [int(r[0]) for r in rows]


async def test_a_copy_once_links_to_its_origin_and_runs_its_stages_rules(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    won = await stage_id(services, "deal", "won")
    pipeline = (await services.catalog.pipelines("deal"))[0].id
    await add_rule(automation, admin, won, "copy_item", {
        "pipeline_id": pipeline, "stage_id": new, "title": "{{ item.title }} (next year)"},
        title="Renew")
    await add_rule(automation, admin, new, "notify_responsible", {"text": "New: {{ item.title }}"},
                   title="Tell")
    origin = await _won_deal(services, admin)
    await automation.tick()

    [copy_id] = await _copies(services, origin)
    copy = await item(services, copy_id)
    assert (copy.title, copy.stage_id, copy.amount, copy.responsible_id) == (
        "Maintenance (next year)", new, Decimal("800.00"), ADMIN_ID)
    assert [(p.name, p.total) for p in copy.products] == [("Service", Decimal(800))]
    async with services.uow(write=False) as uow:
        link = await uow.item_copies.origin_of(copy_id)
    assert link is not None and link.origin_id == origin
    assert await runs_of(services, copy_id) == [("Tell", RunState.DONE)]
    assert transport.texts(ADMIN_ID)[-1] == "New: Maintenance (next year)"


async def test_a_copy_rule_must_target_its_own_type_and_not_its_own_stage(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    quotes = (await services.catalog.pipelines("quote"))[0].id
    deals = (await services.catalog.pipelines("deal"))[0].id
    for params in ({"pipeline_id": quotes}, {"pipeline_id": deals, "stage_id": won},
                   {"pipeline_id": deals, "repeat": "month_day"}):
        with pytest.raises(RuleInvalid):
            await add_rule(automation, admin, won, "copy_item", params)


async def _monthly_rule(services: CrmServices, admin: Staff, automation: Automation,
                        **extra: object) -> int:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, await stage_id(services, "deal", "won"), "copy_item",
                   {"pipeline_id": (await services.catalog.pipelines("deal"))[0].id,
                    "stage_id": new, "repeat": "months", **extra}, title="Monthly")
    return new


async def test_a_monthly_copy_appears_when_the_clock_reaches_it(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    new = await _monthly_rule(services, admin, automation)
    await add_rule(automation, admin, new, "notify_responsible", {"text": "Due: {{ item.title }}"},
                   title="Tell")
    origin = await _won_deal(services, admin)
    await automation.tick()
    assert await _copies(services, origin) == []
    async with services.uow(write=False) as uow:
        [planned] = await repos(uow).schedules.active_for(origin)
    assert planned.next_due_at == datetime(2026, 12, 23, 9, 0, tzinfo=UTC)

    clock.set(datetime(2026, 12, 23, 8, 59, tzinfo=UTC))
    await automation.tick()
    assert await _copies(services, origin) == []
    clock.advance(minutes=1)
    await automation.tick()
    [copy_id] = await _copies(services, origin)
    assert await runs_of(services, copy_id) == [("Tell", RunState.DONE)]
    assert transport.texts(ADMIN_ID)[-1] == "Due: Maintenance"
    clock.set(datetime(2027, 1, 23, 9, 0, tzinfo=UTC))
    await automation.tick()
    assert len(await _copies(services, origin)) == 2


async def test_after_a_restart_missed_months_make_one_copy_and_the_schedule_goes_on(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    await _monthly_rule(services, admin, automation)
    origin = await _won_deal(services, admin)
    await automation.tick()
    await automation.stop()  # the bot is down for three and a half months
    clock.set(datetime(2027, 3, 10, 12, 0, tzinfo=UTC))

    async with restarted(services, clock, transport) as (fresh, engine):
        engine.start()  # the schedule worker catches up on start-up, by itself
        for _ in range(200):
            if await _copies(fresh, origin):
                break
            await asyncio.sleep(0.01)
        assert len(await _copies(fresh, origin)) == 1
        async with fresh.uow(write=False) as uow:
            [running] = await repos(uow).schedules.active_for(origin)
        assert (running.copies, running.next_due_at) == (1, datetime(2027, 3, 23, 9, 0,
                                                                     tzinfo=UTC))
    async with restarted(services, clock, transport) as (_again, engine):
        await engine.tick()
    assert len(await _copies(services, origin)) == 1  # the catch-up is not repeated


async def test_a_schedule_ends_when_its_item_is_lost_or_after_its_copies(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock) -> None:
    await _monthly_rule(services, admin, automation, times=1)
    lost_one = await _won_deal(services, admin, "Lost one")
    counted = await _won_deal(services, admin, "Counted")
    await automation.tick()
    await services.items.move(admin, lost_one, await stage_id(services, "deal", "lost"))
    clock.set(datetime(2027, 6, 1, tzinfo=UTC))
    await automation.tick()
    clock.set(datetime(2027, 8, 1, tzinfo=UTC))
    await automation.tick()
    assert await _copies(services, lost_one) == []
    assert len(await _copies(services, counted)) == 1
    async with services.uow(write=False) as uow:
        assert await repos(uow).schedules.active(limit=10) == []
        ended = [await repos(uow).schedules.get(i) for i in (1, 2)]
    assert [(s.origin_id, s.end_reason) for s in ended if s] == [(lost_one, "lost"),
                                                                 (counted, "done")]


async def test_schedules_are_listed_and_stopped_by_who_may_see_the_item(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock) -> None:
    await _monthly_rule(services, admin, automation)
    origin = await _won_deal(services, admin)
    await automation.tick()
    seller = await add_staff(services, admin, 2001, Role.SALES)
    assert await automation.schedules.running(seller) == []  # not their item
    [view] = await automation.schedules.running(admin)
    assert (view.origin.id, view.stage.code if view.stage else None) == (origin, "new")
    with pytest.raises(PermissionDenied):
        await automation.schedules.stop(seller, view.schedule.id)

    stopped = await automation.schedules.stop(admin, view.schedule.id)
    assert (stopped.schedule.end_reason, stopped.schedule.ended_by) == ("stopped", ADMIN_ID)
    clock.set(datetime(2027, 2, 1, tzinfo=UTC))
    await automation.tick()
    assert await _copies(services, origin) == []
    _items, total = await services.items.list(admin, ItemQuery())
    assert total == 1
