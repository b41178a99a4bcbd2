"""Activities of items, and the lead report by source."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.errors import InvalidInput, NotFound, PermissionDenied
from crm.models import Role, Staff
from crm.services.inquiries import ClientInfo
from crm.services.items import NewItem
from crm.services.mode import ConversionOptions
from tests.conftest import START, add_staff


async def test_activities_are_added_listed_and_done(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    sales = await add_staff(services, admin, 2001, Role.SALES)
    deal = await services.items.create(sales, NewItem("deal", "Offer"))
    later = await services.activities.add(sales, deal.id, "meeting", "Visit",
                                          deadline=START + timedelta(days=2))
    sooner = await services.activities.add(sales, deal.id, "call", "Call",
                                           deadline=START + timedelta(hours=3))
    undated = await services.activities.add(admin, deal.id, "task", "  Send   brochure ")
    assert undated.subject == "Send brochure"
    assert undated.assignee_id == sales.user_id  # the item's responsible person
    listed = await services.activities.open_for_item(sales, deal.id)
    assert [a.id for a in listed] == [sooner.id, later.id, undated.id]
    assert [a.id for a in await services.activities.mine(sales)] == [sooner.id, later.id,
                                                                       undated.id]
    assert await services.activities.mine(admin) == []
    clock.advance(hours=1)
    done = await services.activities.mark_done(sales, sooner.id)
    assert done.done and done.done_at == clock.now()
    clock.advance(hours=1)
    twice = await services.activities.mark_done(sales, sooner.id)
    assert twice.done_at == done.done_at  # a second press changes nothing
    assert [a.id for a in await services.activities.open_for_item(sales, deal.id)] == [
        later.id, undated.id]


async def test_activities_are_checked(services: CrmServices, admin: Staff) -> None:
    sales = await add_staff(services, admin, 2001, Role.SALES)
    other = await add_staff(services, admin, 2002, Role.SALES)
    theirs = await services.items.create(other, NewItem("deal", "Theirs"))
    with pytest.raises(InvalidInput):
        await services.activities.add(admin, theirs.id, "fax", "Send a fax")
    with pytest.raises(InvalidInput):
        await services.activities.add(admin, theirs.id, "call", "   ")
    with pytest.raises(InvalidInput):
        await services.activities.add(admin, theirs.id, "call", "x", deadline=datetime(2026, 1, 1))
    with pytest.raises(NotFound):
        await services.activities.add(admin, theirs.id, "call", "x", assignee_id=999)
    with pytest.raises(PermissionDenied):
        await services.activities.add(sales, theirs.id, "call", "Steal it")
    task = await services.activities.add(admin, theirs.id, "task", "Theirs to do")
    with pytest.raises(PermissionDenied):
        await services.activities.mark_done(sales, task.id)
    mine = await services.activities.add(admin, theirs.id, "call", "Help",
                                         assignee_id=sales.user_id)
    assert (await services.activities.mark_done(sales, mine.id)).done  # the assignee may


async def test_lead_report_by_source(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    await services.mode.switch_to_classic(admin)
    web = [await services.items.create(admin, NewItem("lead", f"Web {i}", source="website"))
           for i in range(3)]
    await services.items.create(admin, NewItem("lead", "Phone", source="call"))
    for n in range(2):
        await services.inquiries.receive(ClientInfo(6000 + n, 6000 + n, f"Client {n}"), "Hi",
                                         clock.now())
    won = await services.conversion.convert_lead(admin, web[0].id)
    await services.conversion.convert_lead(admin, web[1].id)
    await services.items.move(admin, won.deal_id, 11)  # the shipped 'won' stage
    clock.advance(days=10)
    await services.items.create(admin, NewItem("lead", "Too late", source="website"))
    switched = await services.mode.switch_to_simple(admin, ConversionOptions("contact"))
    assert switched.conversion is not None  # converts the call, telegram and late leads too

    report = await services.lead_report.report(START - timedelta(days=1), START + timedelta(days=1))
    rows = {r.source: (r.leads, r.converted, r.won) for r in report.rows}
    assert rows == {"website": (3, 3, 1), "telegram": (2, 2, 0), "call": (1, 1, 0)}
    assert [r.source for r in report.rows] == ["website", "telegram", "call"]
    assert (report.total.leads, report.total.converted, report.total.won) == (6, 6, 1)
    website = report.rows[0]
    assert (website.conversion_rate, round(website.win_rate, 3)) == (1.0, 0.333)
    with pytest.raises(InvalidInput):
        await services.lead_report.report(START, START)
