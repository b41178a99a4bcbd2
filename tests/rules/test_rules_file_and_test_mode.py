"""Rules files (YAML) and test mode."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.errors import RulesFileError
from rules.model import Execution, TimingMode
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID
from tests.rules.conftest import CLIENT_CHAT, RecordingTransport, client_contact, stage_id

GOOD = """\
version: 1
rules:
  - key: greet
    type: deal
    stage: new
    title: Greet
    kind: message_client
    params: {text: "Hello {{ contact.name }}"}
  - key: big
    type: Auftrag
    stage: Gewonnen
    kind: notify_responsible
    params: {template: messages/won_staff.j2}
    execution: after_previous
    timing: 2 hours, in working hours
    condition: amount > 15000 and currency = EUR
"""

BAD = """\
version: 1
rules:
  - type: deal
    stage: new
    kind: message_client
    params: {text: "Hi {{ nobody }}"}
  - type: deal
    stage: nowhere
    kind: notify_responsible
    params: {text: "x"}
  - type: deal
    stage: won
    kind: notify_responsible
    params: {text: "x"}
    condition: amount >
    colour: blue
"""


async def test_import_then_export_round_trips(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    report = await automation.files.import_text(admin, GOOD)
    assert (report.added, report.updated) == (2, 0)
    won = await stage_id(services, "deal", "won")
    (big,) = await automation.rules.for_stage(admin, won)
    assert (big.execution, big.timing.mode, big.timing.amount) == (
        Execution.AFTER_PREVIOUS, TimingMode.DELAY, 2)
    assert big.timing.working_hours_only and big.condition is not None

    exported = await automation.files.export_text(admin)
    assert "condition: amount > 15000 and currency = EUR" in exported
    assert "timing: after 2 hours, in working hours" in exported
    again = await automation.files.import_text(admin, exported)
    assert (again.added, again.updated) == (0, 2)
    assert await automation.files.export_text(admin) == exported


async def test_an_import_with_problems_names_each_line_and_changes_nothing(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    with pytest.raises(RulesFileError) as caught:
        await automation.files.import_text(admin, BAD)
    errors = caught.value.params["errors"]
    assert (16, "colour", "unknown field") in [(e["line"], e["field"], e["reason"])
                                               for e in errors]
    with pytest.raises(RulesFileError) as caught:
        await automation.files.import_text(admin, BAD.replace("    colour: blue\n", ""))
    lines = [(e["line"], e["field"]) for e in caught.value.params["errors"]]
    assert lines == [(6, "params"), (8, "stage"), (15, "condition")]
    assert "nobody" in caught.value.params["errors"][0]["reason"]
    assert await automation.files.export_text(admin) == (
        await automation.files.export_text(admin))  # still empty of rules
    assert "rules: []" in await automation.files.export_text(admin)


async def test_the_shipped_rule_set_is_installed_once(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    report = await automation.files.install_defaults()
    assert report is not None and report.added >= 5
    new = await stage_id(services, "deal", "new")
    rules = await automation.rules.for_stage(admin, new)
    await automation.rules.delete(admin, rules[0].id)
    assert await automation.files.install_defaults() is None
    assert len(await automation.rules.for_stage(admin, new)) == len(rules) - 1


async def test_test_mode_shows_what_would_happen_and_sends_nothing(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    await automation.files.import_text(admin, GOOD)
    contact = await client_contact(services, language="de")
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", amount=Decimal(12000),
                                                      contact_id=contact.id))
    await automation.stops.stop(admin, deal.id)  # keep the real greeting out of the way
    won = await stage_id(services, "deal", "won")
    preview = await automation.test_mode.preview(admin, deal.id, won)
    (big,) = preview.rules
    assert big.evaluation.passed is False
    assert [c["actual"] for c in big.evaluation.explanation()] == ["12000.00", "EUR"]
    assert big.due == services.clock.now() + timedelta(hours=2)  # the stage's first rule
    assert big.previews[0].recipient == "Ada Admin"

    new_preview = await automation.test_mode.preview(admin, deal.id)
    assert new_preview.rules[0].previews[0].text == "Hello Anna Schmidt"
    assert new_preview.rules[0].previews[0].chat_id == CLIENT_CHAT
    await automation.tick()
    assert transport.delivered == []
    async with services.uow(write=False) as uow:
        assert await repos(uow).outbox.counts() == {}

    sent = await automation.test_mode.send_to_tester(admin, deal.id, None)
    assert (sent.messages, sent.total) == (1, 1)
    await automation.tick()
    assert [(r.chat_id, r.payload["text"]) for r in transport.delivered] == [
        (ADMIN_ID, "🧪 <i>Test · “Greet”: message to Anna Schmidt</i>\n\nHello Anna Schmidt")]


async def test_the_shipped_rules_are_not_mixed_into_an_imported_rule_set(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    await automation.files.import_text(None, GOOD)
    assert await automation.files.install_defaults() is None
    assert "default-deal" not in await automation.files.export_text(admin)
