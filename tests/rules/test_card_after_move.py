"""The card after a move: read once the new stage's rules due at once have run (they run
in the run worker, possibly of another process, so the wait reads the database), and
counting a rule about to run whose condition is false as not triggered."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import cast

import pytest

from crm.container import CrmServices
from crm.events import ItemEnteredStage
from crm.models import Staff
from crm.services.items import NewItem
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from rules.container import Automation
from rules.engine.planner import StagePlanner
from rules.model import RunState
from rules.services.settling import MoveSettling
from rules.services.status import Brief
from tests.conftest import START
from tests.rules.conftest import add_rule, stage_id

BIG = {"all": [{"field": "amount", "op": ">=", "value": "100000"}]}


async def test_the_card_waits_for_the_rules_due_at_once_and_shows_what_they_changed(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "change_field", {"field": "amount", "value": "999"},
                   title="Reprice")
    await add_rule(automation, admin, won, "change_field", {"field": "title", "value": "Big"},
                   title="Big only", condition=BIG)
    deal = await services.items.create(admin, NewItem("deal", "Shop", amount=Decimal(500)))

    async def another_process() -> None:  # its run worker notices the move a moment later
        await asyncio.sleep(0.2)
        await automation.runs.drain()

    worker = asyncio.create_task(another_process())
    _moved, card = await services.cards.move(admin, deal.id, won)
    await worker
    assert card.item.amount == Decimal(999) and card.item.title == "Shop"
    brief = card.extras["automation"]
    assert isinstance(brief, Brief)
    assert (brief.count(RunState.DONE), brief.count(RunState.SKIPPED), brief.to_skip) == (1, 1, 0)


async def test_rules_still_about_to_run_are_counted_by_their_condition(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    services.cards.settle_with(MoveSettling(services.uow, seconds=0.05).settle)  # no worker
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "notify_responsible", {"text": "Won!"}, title="Cheer")
    await add_rule(automation, admin, won, "notify_responsible", {"text": "Big!"}, title="Big",
                   condition=BIG)
    deal = await services.items.create(admin, NewItem("deal", "Shop", amount=Decimal(500)))
    _moved, card = await services.cards.move(admin, deal.id, won)
    brief = card.extras["automation"]
    assert isinstance(brief, Brief)
    assert (brief.count(RunState.PENDING), brief.to_skip) == (2, 1)
    await automation.runs.drain()  # the engine agrees: it skips the big one
    again = (await services.cards.card(admin, deal.id)).extras["automation"]
    assert isinstance(again, Brief)
    assert (again.count(RunState.SKIPPED), again.to_skip) == (1, 0)


async def test_a_move_without_rules_due_at_once_is_not_held_up(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    deal = await services.items.create(admin, NewItem("deal", "Shop"))
    settling = MoveSettling(services.uow)
    await services.cards.move(admin, deal.id, won)
    started = asyncio.get_running_loop().time()
    assert await settling.settle(deal.id) is False
    assert asyncio.get_running_loop().time() - started < 0.1


async def test_after_a_move_that_planned_nothing_due_the_card_reads_nothing_more() -> None:
    """The planner tells the settling what a move planned: with no rule due at once there
    is nothing to wait for, and no read of the runs (a round trip on PostgreSQL)."""
    reads: list[int] = []

    def no_database(write: bool = True, atomic: bool = True) -> UnitOfWork:
        reads.append(1)
        raise AssertionError("the settling read the database")

    settling = MoveSettling(cast(UnitOfWorkFactory, no_database))
    settling.planned(7, due_now=False)
    assert await settling.settle(7) is False
    settling.planned(7, due_now=True)  # the next move of it planned a rule due at once
    with pytest.raises(AssertionError, match="read the database"):
        await settling.settle(7)
    assert reads == [1]


async def test_the_planner_tells_whether_a_move_planned_a_rule_due_at_once(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    planned: list[tuple[int, bool]] = []
    planner = StagePlanner(automation.config, lambda: None,
                           on_planned=lambda item, due: planned.append((item, due)))
    won = await stage_id(services, "deal", "won")
    deal = await services.items.create(admin, NewItem("deal", "Shop"))
    event = ItemEnteredStage(deal.id, "deal", deal.pipeline_id, None, won, admin.user_id, START)
    async with services.uow() as uow:
        await planner.on_item_entered_stage(event, uow)
        await uow.commit()
    await add_rule(automation, admin, won, "notify_responsible", {"text": "Won!"}, title="Cheer")
    async with services.uow() as uow:
        await planner.on_item_entered_stage(event, uow)
        await uow.commit()
    assert planned == [(deal.id, False), (deal.id, True)]
