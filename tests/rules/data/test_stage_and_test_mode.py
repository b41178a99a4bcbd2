"""Move to another stage (which runs that stage's rules; a back-and-forth loop is stopped),
and test mode showing what each data kind would do without doing it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.container import CrmServices
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from rules.container import Automation
from rules.errors import RuleInvalid
from rules.model import RunState
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID, add_staff
from tests.rules.conftest import RecordingTransport, add_rule, stage_id
from tests.rules.data.conftest import failure, item, runs_of


async def test_a_move_by_a_rule_runs_the_rules_of_the_stage_it_enters(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    new = await stage_id(services, "deal", "new")
    preparing = await stage_id(services, "deal", "preparing_documents")
    await add_rule(automation, admin, new, "change_stage", {"stage_id": preparing},
                   title="Start the paperwork")
    await add_rule(automation, admin, preparing, "notify_responsible",
                   {"text": "Paperwork for {{ item.title }}"}, title="Tell")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch"))
    await automation.tick()

    assert (await item(services, deal.id)).stage_id == preparing
    assert transport.texts(ADMIN_ID) == ["Paperwork for Relaunch"]
    assert await runs_of(services, deal.id) == [("Start the paperwork", RunState.DONE),
                                                ("Tell", RunState.DONE)]
    history = await services.items.history(admin, deal.id)
    assert [(h.to_stage_id, h.by_user_id) for h in history] == [(new, ADMIN_ID),
                                                                (preparing, None)]


async def test_two_stages_moving_the_item_to_each_other_are_stopped_with_a_reason(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    preparing = await stage_id(services, "deal", "preparing_documents")
    await add_rule(automation, admin, new, "change_stage", {"stage_id": preparing},
                   title="Forth")
    await add_rule(automation, admin, preparing, "change_stage", {"stage_id": new},
                   title="Back")
    deal = await services.items.create(admin, NewItem("deal", "Ping-pong"))
    await automation.tick()

    runs = await runs_of(services, deal.id)
    assert [s for _t, s in runs].count(RunState.DONE) == 8
    assert runs[-1][1] is RunState.FAILED
    stopped_in = (await item(services, deal.id)).stage_id
    assert runs[-1][0] == ("Forth" if stopped_in == new else "Back")
    assert await failure(automation, admin, deal.id, runs[-1][0]) == \
        "stopped a loop: automation had already moved the item 8 times in a row"
    assert await failure(automation, admin, deal.id, runs[-1][0], "de") == \
        "Schleife gestoppt: die Automatisierung hatte das Element schon 8-mal hintereinander " \
        "verschoben"
    await automation.tick()  # nothing more is due: the loop is over
    assert len(await runs_of(services, deal.id)) == len(runs)


async def test_a_stage_change_must_name_another_stage_of_the_pipeline(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    quote_draft = await stage_id(services, "quote", "draft")
    for target in (new, quote_draft, 999):
        with pytest.raises(RuleInvalid):
            await add_rule(automation, admin, new, "change_stage", {"stage_id": target})


async def test_test_mode_shows_each_data_kind_and_changes_nothing(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    won = await stage_id(services, "deal", "won")
    new = await stage_id(services, "deal", "new")
    pipeline = (await services.catalog.pipelines("deal"))[0].id
    await add_rule(automation, admin, won, "change_field",
                   {"field": "amount", "value": "{{ item.amount * 1.19 }}"}, title="Gross")
    await add_rule(automation, admin, won, "add_product", {"name": "Setup", "price": "500"},
                   title="Setup")
    await add_rule(automation, admin, won, "change_responsible", {"role": "sales"},
                   title="Seller")
    await add_rule(automation, admin, won, "change_stage", {"stage_id": new}, title="Back")
    await add_rule(automation, admin, won, "copy_item",
                   {"pipeline_id": pipeline, "stage_id": new, "repeat": "months"},
                   title="Monthly")
    await add_rule(automation, admin, won, "copy_item", {"pipeline_id": pipeline},
                   title="Once")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      amount=Decimal(1000)))

    preview = await automation.test_mode.preview(admin, deal.id, won)
    said = {r.rule.title: ([p.recipient for p in r.previews], r.failure) for r in preview.rules}
    assert said == {
        "Gross": (["set amount to “1190.00”"], None),
        "Setup": (["add product “Setup”: 1 × 500.00 EUR"], None),
        "Seller": ([f"make {sam.name} responsible (next in turn among sales)"], None),
        "Back": (["move the item to “New”"], None),
        "Monthly": (["create a copy in “General” / “New” every month, first on "
                     "Dec 23, 2026, 10:00:00\u202fAM"], None),
        "Once": (["create a copy in “General” / “New”"], None),
    }
    stored = await item(services, deal.id)
    assert (stored.amount, stored.products, stored.responsible_id, stored.stage_id,
            stored.version) == (Decimal("1000.00"), [], ADMIN_ID, new, 1)
    async with services.uow(write=False) as uow:
        assert await repos(uow).schedules.active(limit=10) == []
        assert await repos(uow).outbox.counts() == {}
    _items, total = await services.items.list(admin, ItemQuery())
    assert total == 1  # no copy was made
