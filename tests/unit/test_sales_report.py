"""The sales report's figures (issue 12): funnel, conversion, win rate, days per stage and
lost reasons, for the team and per salesperson; and the pipeline overview's sums."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.errors import InvalidInput, NotFound
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from crm.services.reports import SalesFigures
from tests.conftest import START, add_staff

NEW, PREPARING, PREPAYMENT, WON, LOST = 6, 7, 8, 11, 12  # the shipped deal pipeline
DEALS = 2


def funnel(figures: SalesFigures) -> list[tuple[str | None, int, float | None, float | None]]:
    return [(s.stage.code, s.reached, s.conversion and round(s.conversion, 2),
             s.average_days and round(s.average_days, 2)) for s in figures.stages]


async def moved_week(services: CrmServices, admin: Staff, clock: FrozenClock) -> Staff:
    """Ada: three deals, one won and one lost after a stay in Preparing documents; Sam one
    deal moved on once."""
    sam = await add_staff(services, admin, 2001, Role.SALES)
    a1, a2, _a3 = [await services.items.create(admin, NewItem("deal", f"A{n}"))
                   for n in (1, 2, 3)]
    s1 = await services.items.create(sam, NewItem("deal", "S1"))
    clock.advance(days=2)
    for item in (a1, a2, s1):
        await services.items.move(admin, item.id, PREPARING)
    clock.advance(days=3)
    await services.items.move(admin, a1.id, PREPAYMENT)
    await services.items.move(admin, a2.id, LOST)
    clock.advance(days=1)
    await services.items.move(admin, a1.id, WON)
    async with services.uow() as uow:  # every schema has the column (migration 015)
        await uow.conn.execute("UPDATE items SET lost_reason = 'Price' WHERE id = ?", (a2.id,))
        await uow.commit()
    return sam


async def test_funnel_win_rate_and_days_for_the_team_and_each_person(
        services: CrmServices, admin: Staff, clock: FrozenClock) -> None:
    sam = await moved_week(services, admin, clock)
    end = clock.now() + timedelta(seconds=1)
    report = await services.sales_report.report(admin, DEALS, START - timedelta(days=1), end)
    assert funnel(report.team) == [
        ("new", 4, None, 2.0), ("preparing_documents", 3, 0.75, 3.0),
        ("prepayment_invoice", 1, 0.33, 1.0), ("in_progress", 1, 1.0, None),
        ("final_invoice", 1, 1.0, None)]
    assert (report.team.won, report.team.lost, report.team.win_rate) == (1, 1, 0.5)
    ada, sam_figures = report.people
    assert ada.person is not None and ada.person.user_id == admin.user_id
    assert [s.reached for s in ada.stages] == [3, 2, 1, 1, 1]
    assert (ada.won, ada.lost) == (1, 1)
    assert sam_figures.person is not None and sam_figures.person.user_id == sam.user_id
    assert funnel(sam_figures)[:2] == [("new", 1, None, 2.0), ("preparing_documents", 1, 1.0,
                                                                 None)]
    assert sam_figures.win_rate is None
    assert report.lost_reasons == [("Price", 1)]

    # a salesperson sees the team's figures and their own only
    own = await services.sales_report.report(sam, DEALS, START - timedelta(days=1), end)
    assert [f.person.user_id for f in own.people if f.person] == [sam.user_id]
    assert own.team == report.team

    # the last two days: A1 moved on and was won, A2 lost; stays that ended then
    recent = await services.sales_report.report(admin, DEALS, clock.now() - timedelta(days=2),
                                                end)
    assert funnel(recent.team)[:3] == [("new", 1, None, None),
                                       ("preparing_documents", 1, 1.0, 3.0),
                                       ("prepayment_invoice", 1, 1.0, 1.0)]
    assert (recent.team.won, recent.team.lost) == (1, 1)

    nothing = await services.sales_report.report(admin, DEALS, end, end + timedelta(days=1))
    assert nothing.team.empty and nothing.people == []


async def test_wrong_periods_and_pipelines_are_refused(
        services: CrmServices, admin: Staff) -> None:
    with pytest.raises(InvalidInput):
        await services.sales_report.report(admin, DEALS, START, START)
    with pytest.raises(NotFound):
        await services.sales_report.report(admin, 999, START, START + timedelta(days=1))


async def test_overview_sums_open_items_per_stage_and_currency(
        services: CrmServices, admin: Staff) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    await services.items.create(admin, NewItem("deal", "A", amount=Decimal("1000.50")))
    await services.items.create(admin, NewItem("deal", "B", amount=Decimal(200),
                                               currency="USD"))
    await services.items.create(admin, NewItem("deal", "No amount"))
    moved = await services.items.create(admin, NewItem("deal", "C", amount=Decimal(3000)))
    await services.items.move(admin, moved.id, PREPARING)
    won = await services.items.create(admin, NewItem("deal", "Won", amount=Decimal(9000)))
    await services.items.move(admin, won.id, WON)
    await services.items.create(sam, NewItem("deal", "Sam's", amount=Decimal(50)))

    mine = await services.overview.pipeline(admin, DEALS, team=False)
    assert not mine.team
    rows = {r.stage.code: r.totals for r in mine.stages}
    assert list(rows) == ["new", "preparing_documents", "prepayment_invoice", "in_progress",
                          "final_invoice"]  # closing stages hold no open items
    assert rows["new"].count == 3
    assert rows["new"].sums == {"EUR": Decimal("1000.50"), "USD": Decimal(200)}
    assert rows["preparing_documents"].sums == {"EUR": Decimal(3000)}
    assert mine.total.count == 4 and mine.total.sums["EUR"] == Decimal("4000.50")

    team = await services.overview.pipeline(admin, DEALS, team=True)
    assert team.team and team.total.count == 5
    refused = await services.overview.pipeline(sam, DEALS, team=True)  # sales: their own
    assert not refused.team and refused.total.count == 1
    assert refused.total.sums == {"EUR": Decimal(50)}

    totals = await services.overview.list_totals(admin, ItemQuery(type_code="deal",
                                                                  open_only=True))
    assert totals.count == 5 and totals.sums["EUR"] == Decimal("4050.50")
    everything = await services.overview.list_totals(admin, ItemQuery(type_code="deal"))
    assert everything.count == 6 and everything.sums["EUR"] == Decimal("13050.50")
    with pytest.raises(NotFound):
        await services.overview.pipeline(admin, 999, team=False)
