"""Item services against a real SQLite file."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from crm.container import CrmServices
from crm.errors import AlreadyInStage, NotFound, PermissionDenied, StaleCard
from crm.events import ItemEnteredStage
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from tests.conftest import add_staff


async def test_created_deal_enters_first_stage_and_records_history(
    services: CrmServices, admin: Staff
) -> None:
    item = await services.items.create(admin, NewItem("deal", "Website relaunch",
                                                      amount=Decimal("15000.50")))
    card = await services.cards.card(admin, item.id, with_history=True)
    assert card.stage.code == "new"
    assert card.item.amount == Decimal("15000.50")
    assert card.item.currency == "EUR"
    assert card.item.responsible_id == admin.user_id
    assert [(h.from_stage_id, h.to_stage_id) for h in card.history] == [(None, card.stage.id)]


async def test_move_to_success_stage_closes_and_moving_back_reopens(
    services: CrmServices, admin: Staff
) -> None:
    item = await services.items.create(admin, NewItem("deal", "Big one"))
    card = await services.cards.card(admin, item.id)
    won = next(s for s in card.stages if s.code == "won")
    result = await services.items.move(admin, item.id, won.id, expected_version=item.version)
    assert result.item.closed and result.to_stage.code == "won"
    back = await services.items.move(admin, item.id, card.stages[1].id)
    assert not back.item.closed
    history = await services.items.history(admin, item.id)
    assert [h.to_stage_id for h in history] == [card.stages[0].id, won.id, card.stages[1].id]
    assert all(h.by_user_id == admin.user_id for h in history)


async def test_stale_version_moves_nothing(services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Stale"))
    card = await services.cards.card(admin, item.id)
    await services.items.move(admin, item.id, card.stages[1].id, expected_version=1)
    with pytest.raises(StaleCard):
        await services.items.move(admin, item.id, card.stages[2].id, expected_version=1)
    with pytest.raises(AlreadyInStage):
        await services.items.move(admin, item.id, card.stages[1].id)
    after = await services.cards.card(admin, item.id, with_history=True)
    assert after.stage.id == card.stages[1].id
    assert len(after.history) == 2


async def test_concurrent_moves_of_one_item_apply_exactly_one(
    services: CrmServices, admin: Staff
) -> None:
    item = await services.items.create(admin, NewItem("deal", "Race"))
    stages = (await services.cards.card(admin, item.id)).stages
    results = await asyncio.gather(
        *(services.items.move(admin, item.id, stage.id, expected_version=1)
          for stage in stages[1:5]),
        return_exceptions=True,
    )
    moved = [r for r in results if not isinstance(r, BaseException)]
    assert len(moved) == 1
    assert all(isinstance(r, StaleCard) for r in results if isinstance(r, BaseException))
    card = await services.cards.card(admin, item.id, with_history=True)
    assert card.stage.id == moved[0].to_stage.id
    assert len(card.history) == 2


async def test_event_subscriber_writes_in_the_same_transaction(
    services: CrmServices, admin: Staff
) -> None:
    seen: list[ItemEnteredStage] = []

    async def failing_subscriber(event: ItemEnteredStage, uow: object) -> None:
        seen.append(event)
        if event.from_stage_id is not None:
            raise RuntimeError("subscriber failed")

    services.bus.subscribe(ItemEnteredStage, failing_subscriber)
    item = await services.items.create(admin, NewItem("deal", "Atomic"))
    stages = (await services.cards.card(admin, item.id)).stages
    with pytest.raises(RuntimeError):
        await services.items.move(admin, item.id, stages[1].id)
    card = await services.cards.card(admin, item.id)
    assert card.stage.id == stages[0].id  # the move was rolled back with the subscriber
    assert [e.to_stage_id for e in seen] == [stages[0].id, stages[1].id]


async def test_salesperson_sees_own_and_unassigned_only(
    services: CrmServices, admin: Staff
) -> None:
    sales = await add_staff(services, admin, 2001, Role.SALES)
    other = await add_staff(services, admin, 2002, Role.SALES)
    mine = await services.items.create(sales, NewItem("deal", "Mine"))
    theirs = await services.items.create(other, NewItem("deal", "Theirs"))
    # an inquiry that arrived without anyone creating it has nobody responsible yet
    await services.items.create(None, NewItem("deal", "Free"))
    await services.items.create(admin, NewItem("quote", "Admin's"))
    items, total = await services.items.list(sales, ItemQuery())
    assert {i.title for i in items} == {"Mine", "Free"}
    assert total == len(items)
    with pytest.raises(PermissionDenied):
        await services.cards.card(sales, theirs.id)
    with pytest.raises(PermissionDenied):
        await services.items.move(sales, theirs.id, theirs.stage_id + 1)
    assert (await services.cards.card(sales, mine.id)).item.title == "Mine"
    manager_items, _ = await services.items.list(admin, ItemQuery(type_code="deal"))
    assert {i.title for i in manager_items} >= {"Mine", "Theirs"}
    admins_quote, _ = await services.items.list(admin, ItemQuery(type_code="quote"))
    assert admins_quote[0].responsible_id == admin.user_id  # the creator becomes responsible


async def test_find_by_title_contact_phone_and_email(services: CrmServices, admin: Staff) -> None:
    anna = await services.clients.create_contact(admin, "Anna Schmidt", phone="+49 30 1234567",
                                                 email="anna@example.org", company_name="ACME")
    await services.items.create(admin, NewItem("deal", "Website", contact_id=anna.id))
    await services.items.create(admin, NewItem("deal", "Other"))
    for text in ("websi", "schmidt", "1234567", "anna@example", "acme"):
        items, _ = await services.items.list(admin, ItemQuery(text=text))
        assert [i.title for i in items] == ["Website"], text


async def test_unknown_item_and_stage(services: CrmServices, admin: Staff) -> None:
    with pytest.raises(NotFound):
        await services.cards.card(admin, 999)
    item = await services.items.create(admin, NewItem("deal", "X"))
    lead_stage = 1  # a stage of the lead pipeline, not the deal's
    with pytest.raises(NotFound):
        await services.items.move(admin, item.id, lead_stage)
