"""A trigger's condition is checked against the item when its event happens: false, and the
trigger does nothing (a webhook call says so); several field triggers may sit on a stage,
an exact duplicate is refused; a value that does not fit its field is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.container import CrmServices
from crm.errors import Conflict, InvalidInput
from crm.models import Staff
from crm.services.items import NewItem
from rules.conditions import parse_condition
from rules.triggers.admin import TriggerDetails
from rules.triggers.model import TriggerEvent
from rules.triggers.moves import Outcome
from rules.workflow import Workflow
from tests.rules.conftest import stage_id


async def test_a_webhook_whose_condition_is_false_moves_nothing(
        services: CrmServices, admin: Staff, workflow: Workflow) -> None:
    won = await stage_id(services, "deal", "won")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      amount=Decimal("500")))
    trigger = await workflow.trigger_admin.add(
        admin, won, TriggerEvent.WEBHOOK,
        details=TriggerDetails(condition=parse_condition("betrag >= 1000")))
    signature = workflow.triggers.signer.sign(trigger.id, deal.id)
    fired = await workflow.triggers.call_webhook(trigger.id, deal.id, signature)
    assert fired.outcome is Outcome.CONDITION_FALSE
    assert (await services.items.get(admin, deal.id)).stage_id != won
    await services.editing.edit(admin, deal.id, "amount", "1.000")
    assert (await workflow.triggers.call_webhook(trigger.id, deal.id, signature)).moved
    assert (await services.items.get(admin, deal.id)).stage_id == won


async def test_field_triggers_on_one_stage_and_what_is_refused(
        services: CrmServices, admin: Staff, workflow: Workflow) -> None:
    won = await stage_id(services, "deal", "won")
    add = workflow.trigger_admin.add
    first = await add(admin, won, TriggerEvent.FIELD_CHANGED,
                      details=TriggerDetails("amount", "5.000"))
    assert (first.field, first.value) == ("amount", "5000.00")
    await add(admin, won, TriggerEvent.FIELD_CHANGED, details=TriggerDetails("title"))
    with pytest.raises(Conflict):
        await add(admin, won, TriggerEvent.FIELD_CHANGED,
                  details=TriggerDetails("amount", "5000"))
    with pytest.raises(InvalidInput):
        await add(admin, won, TriggerEvent.FIELD_CHANGED,
                  details=TriggerDetails("probability", "120"))
    with pytest.raises(InvalidInput):
        await add(admin, won, TriggerEvent.FIELD_CHANGED)  # which field?
    other = await add(admin, won, TriggerEvent.RESPONSIBLE_CHANGED,
                      details=TriggerDetails("amount", "1"))  # a field only for its event
    assert (other.field, other.value) == (None, None)
