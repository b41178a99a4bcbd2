"""Change a field, add a product, change the responsible person: what a run stores, and
why a value that does not fit fails the run."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Product, Role, Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.errors import RuleInvalid
from rules.model import Execution, RunState
from tests.conftest import add_staff
from tests.rules.conftest import RecordingTransport, add_rule, stage_id
from tests.rules.data.conftest import failure, item, restarted, runs_of


async def test_fields_change_to_values_and_templates_and_the_version_moves_on(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    preparing = await stage_id(services, "deal", "preparing_documents")
    for field, value in (("amount", "{{ item.amount * 1.19 }}"),
                         ("title", "{{ item.title }} & Co — gross"),
                         ("currency", "usd"), ("probability", "60 %"),
                         ("custom.po_number", "PO-{{ item.id }}")):
        await add_rule(automation, admin, preparing, "change_field",
                       {"field": field, "value": value}, title=f"Set {field}",
                       execution=Execution.AFTER_PREVIOUS)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      amount=Decimal("15000.00")))
    await services.items.move(admin, deal.id, preparing)
    before = (await item(services, deal.id)).version
    await automation.tick()

    changed = await item(services, deal.id)
    assert changed.amount == Decimal("17850.00")
    assert changed.title == "Relaunch & Co — gross"  # data, not HTML: no &amp;
    assert changed.currency == "USD"
    assert changed.custom == {"probability": 60, "po_number": f"PO-{deal.id}"}
    assert changed.version == before + 5  # a card showing the old values is stale
    assert [s for _t, s in await runs_of(services, deal.id)] == [RunState.DONE] * 5


@pytest.mark.parametrize(("field", "value", "amount", "reason"), [
    # each value fits the sample item a rule is checked against when saved, not this one
    ("amount", "{{ item.amount - 10000 }}", "100", "“-9900.00” is not an amount (a number "
                                                   "from 0 to 1,000,000,000,000)"),
    ("probability", "{{ (item.amount / 150)|int }}", "30000",
     "“200” is not a probability (a whole number from 0 to 100)"),
    ("title", "{{ item.custom.code }}", "100", "the title “” is empty or longer than 200 "
                                               "characters"),
])
async def test_a_value_that_does_not_fit_fails_the_run_and_changes_nothing(
        services: CrmServices, admin: Staff, automation: Automation, field: str, value: str,
        amount: str, reason: str) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "change_field", {"field": field, "value": value},
                   title="Set")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", amount=Decimal(amount),
                                                      custom={"code": ""}))
    await automation.tick()
    assert await failure(automation, admin, deal.id, "Set") == reason
    stored = await item(services, deal.id)
    assert (stored.title, stored.amount, stored.version) == ("Relaunch", Decimal(amount), 1)


async def test_reasons_read_in_german_too(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "change_field", {"field": "currency",
                                                            "value": "{{ item.custom.cur }}"},
                   title="Cur")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      custom={"cur": "Euro"}))
    await automation.tick()
    assert await failure(automation, admin, deal.id, "Cur", "de") == \
        "„Euro“ ist kein Währungscode wie EUR"


async def test_a_rule_with_an_impossible_value_is_refused_when_saved(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    with pytest.raises(RuleInvalid) as refused:
        await add_rule(automation, admin, new, "change_field",
                       {"field": "amount", "value": "lots"})
    assert [{k: e[k] for k in ("field", "reason")} for e in refused.value.params["errors"]] == [
        {"field": "value", "reason": "“lots” is not an amount (a number from 0 to "
                                     "1,000,000,000,000)"}]
    with pytest.raises(RuleInvalid):
        await add_rule(automation, admin, new, "change_field", {"field": "colour", "value": "x"})


async def test_added_products_make_the_amount_and_block_setting_it_by_hand(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "add_product",
                   {"name": "Setup", "price": "1.500,00", "quantity": "2"}, title="Setup")
    await add_rule(automation, admin, won, "add_product",
                   {"name": "Support {{ now.year }}", "price": "{{ item.amount * 0.1 }}"},
                   title="Support", execution=Execution.AFTER_PREVIOUS)
    await add_rule(automation, admin, won, "change_field", {"field": "amount", "value": "1"},
                   title="By hand", execution=Execution.AFTER_PREVIOUS)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      amount=Decimal(99)))
    await services.items.move(admin, deal.id, won)
    await automation.tick()

    stored = await item(services, deal.id)
    assert [(p.name, p.price, p.quantity) for p in stored.products] == [
        ("Setup", Decimal("1500.00"), Decimal(2)), ("Support 2026", Decimal("300.00"),
                                                    Decimal(1))]
    assert stored.amount == Decimal("3300.00")  # the products' sum, not the 99 typed
    reason = await failure(automation, admin, deal.id, "By hand")
    assert reason.startswith("the amount of an item with products is the sum of its products")


async def test_a_given_member_becomes_responsible(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "change_responsible", {"user_id": sam.user_id},
                   title="To Sam")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await automation.tick()
    assert (await item(services, deal.id)).responsible_id == sam.user_id
    with pytest.raises(RuleInvalid):
        await add_rule(automation, admin, new, "change_responsible", {"user_id": 999})


async def test_round_robin_takes_turns_and_keeps_its_place_across_a_restart(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    sellers = [await add_staff(services, admin, uid, Role.SALES) for uid in (2003, 2001, 2002)]
    await add_staff(services, admin, 2100, Role.MANAGER)
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "change_responsible", {"role": "sales"},
                   title="Next seller")
    owners = []
    for number in range(4):
        deal = await services.items.create(admin, NewItem("deal", f"Deal {number}"))
        await automation.tick()
        owners.append((await item(services, deal.id)).responsible_id)
    assert owners == [2001, 2002, 2003, 2001]
    await automation.stop()

    async with restarted(services, clock, transport) as (fresh, engine):
        deal = await fresh.items.create(admin, NewItem("deal", "After restart"))
        await engine.tick()
        assert (await item(fresh, deal.id)).responsible_id == 2002
    assert len(sellers) == 3


async def test_round_robin_without_members_fails_with_the_role(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "change_responsible", {"role": "manager"},
                   title="Manager")
    deal = await services.items.create(admin, NewItem(
        "deal", "Relaunch", products=[Product("Setup", Decimal(10))]))
    await automation.tick()
    assert await failure(automation, admin, deal.id, "Manager") == \
        "nobody in the team has the role manager"
