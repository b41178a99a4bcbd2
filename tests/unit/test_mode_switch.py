"""Switching the CRM mode: who may, what each direction does, and leads in simple mode."""

from __future__ import annotations

import pytest

from crm.container import CrmServices
from crm.errors import InvalidInput, PermissionDenied
from crm.models import CrmMode, Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from crm.services.mode import (
    ConversionOptions,
    LeadsDisabled,
    clean_lead_source,
    ensure_type_allowed,
)
from tests.conftest import add_staff


async def count(services: CrmServices, admin: Staff, type_code: str) -> int:
    _, total = await services.items.list(admin, ItemQuery(type_code=type_code))
    return total


async def test_salesperson_may_not_switch_and_nothing_changes(
    services: CrmServices, admin: Staff
) -> None:
    sales = await add_staff(services, admin, 2001, Role.SALES)
    with pytest.raises(PermissionDenied):
        await services.mode.switch_to_classic(sales)
    assert await services.mode.mode() is CrmMode.SIMPLE
    await services.mode.switch_to_classic(admin)
    await services.items.create(admin, NewItem("lead", "Open lead"))
    with pytest.raises(PermissionDenied):
        await services.mode.switch_to_simple(sales, ConversionOptions("both"))
    with pytest.raises(PermissionDenied):
        await services.conversion.run(sales)
    with pytest.raises(PermissionDenied):
        await services.conversion.preview(sales)
    assert await services.mode.mode() is CrmMode.CLASSIC
    assert await services.conversion.pending() is None
    assert await count(services, admin, "deal") == 0
    assert (await services.conversion.preview(admin)).open_leads == 1


async def test_holder_of_the_settings_right_may_switch(
    services: CrmServices, admin: Staff
) -> None:
    sales = await add_staff(services, admin, 2001, Role.SALES)
    sales = await services.staff.set_settings_right(admin, sales.user_id, True)
    switched = await services.mode.switch_to_classic(sales)
    assert switched.changed and switched.mode is CrmMode.CLASSIC
    back = await services.mode.switch_to_simple(sales)
    assert back.changed and back.mode is CrmMode.SIMPLE
    assert await services.mode.mode() is CrmMode.SIMPLE


async def test_simple_to_classic_turns_leads_on_and_converts_nothing(
    services: CrmServices, admin: Staff
) -> None:
    deal = await services.items.create(admin, NewItem("deal", "Existing deal"))
    switched = await services.mode.switch_to_classic(admin)
    assert (switched.mode, switched.changed, switched.conversion) == (CrmMode.CLASSIC, True, None)
    assert await count(services, admin, "deal") == 1
    assert await count(services, admin, "lead") == 0
    assert (await services.cards.card(admin, deal.id)).stage.code == "new"
    assert [t.code for t in await services.catalog.types()][:2] == ["lead", "deal"]


async def test_switching_to_the_active_mode_is_a_no_op(
    services: CrmServices, admin: Staff
) -> None:
    same = await services.mode.switch_to_simple(admin)
    assert (same.mode, same.changed, same.conversion) == (CrmMode.SIMPLE, False, None)
    assert await services.conversion.pending() is None
    await services.mode.switch_to_classic(admin)
    again = await services.mode.switch_to_classic(admin)
    assert (again.mode, again.changed) == (CrmMode.CLASSIC, False)


async def test_repeated_switch_converts_nothing_twice(services: CrmServices, admin: Staff) -> None:
    await services.mode.switch_to_classic(admin)
    for n in range(3):
        await services.items.create(admin, NewItem("lead", f"Lead {n}"))
    first = await services.mode.switch_to_simple(admin)
    assert first.conversion is not None and first.conversion.counts.deals_created == 3
    assert (await services.mode.switch_to_simple(admin)).changed is False
    await services.mode.switch_to_classic(admin)
    second = await services.mode.switch_to_simple(admin)
    assert second.changed and second.conversion is not None
    assert second.conversion.counts.leads_converted == 0
    assert second.conversion.counts.deals_created == 0
    assert await count(services, admin, "deal") == 3
    assert await services.mode.mode() is CrmMode.SIMPLE


async def test_leads_are_refused_in_simple_mode(services: CrmServices, admin: Staff) -> None:
    with pytest.raises(LeadsDisabled) as refused:
        await ensure_type_allowed(CrmMode.SIMPLE, "lead")
    assert refused.value.code == "leads_disabled"
    await ensure_type_allowed(CrmMode.SIMPLE, "deal")
    await ensure_type_allowed(CrmMode.CLASSIC, "lead")
    async with services.uow(write=False) as uow:
        with pytest.raises(LeadsDisabled):
            await ensure_type_allowed(uow, "lead")
    await services.mode.switch_to_classic(admin)
    async with services.uow(write=False) as uow:
        await ensure_type_allowed(uow, "lead")


def test_lead_sources_are_checked() -> None:
    assert clean_lead_source(" Telegram ") == "telegram"
    assert clean_lead_source(None) == "other"
    assert clean_lead_source("") == "other"
    with pytest.raises(InvalidInput):
        clean_lead_source("carrier pigeon")


def test_conversion_options_refuse_an_unknown_client_choice() -> None:
    with pytest.raises(InvalidInput):
        ConversionOptions("partner")
    options = ConversionOptions("both", 7, False)
    assert ConversionOptions.from_json(options.to_json()) == options


async def test_creating_a_lead_in_simple_mode_is_refused(
    services: CrmServices, admin: Staff
) -> None:
    try:
        await services.items.create(admin, NewItem("lead", "Not in simple mode"))
    except LeadsDisabled:
        assert await count(services, admin, "lead") == 0
    else:
        raise AssertionError("a lead was created in simple mode")
