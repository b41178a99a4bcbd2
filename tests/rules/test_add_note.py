"""The "add a note" kind: a rules file carries it there and back, a template that does not
render is refused when the rule is saved, a message template's HTML becomes plain text, and
the notes' queries read their index."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from crm.services.notes import MAX_NOTE
from rules.container import Automation
from rules.errors import RulesFileError
from rules.kinds import CATALOGUE, by_group
from rules.kinds.add_note import fit, plain
from rules.kinds.base import KindGroup
from tests.query_plans import plan_connection, plan_lines, recording, scans
from tests.rules.conftest import add_rule, stage_id


def test_it_is_in_the_catalogue_among_the_data_kinds() -> None:
    assert CATALOGUE["add_note"].code in [k.code for k in by_group()[KindGroup.DATA]]


def test_a_templates_html_is_a_plain_note_and_a_long_one_is_cut() -> None:
    assert plain("<b>Won</b> &amp; signed &lt;3") == "Won & signed <3"
    assert fit("x" * MAX_NOTE) == "x" * MAX_NOTE
    assert len(fit("x" * (MAX_NOTE + 50))) == MAX_NOTE and fit("x" * 5000).endswith("…")


async def test_a_rules_file_carries_it_there_and_back(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "add_note", {"text": "Won: {{ item.title }}"},
                   title="Note it")
    exported = await automation.files.export_text(admin)
    assert "kind: add_note" in exported and "Won: {{ item.title }}" in exported
    report = await automation.files.import_text(admin, exported)
    assert (report.added, report.updated) == (0, 1)
    bad = exported.replace("Won: {{ item.title }}", "Won: {{ item.title ")
    with pytest.raises(RulesFileError) as refused:  # refused whole, naming the line
        await automation.files.import_text(admin, bad)
    assert [e["field"] for e in refused.value.params["errors"]] == ["params"]
    rules = await automation.rules.for_stage(admin, won)
    assert [(r.kind, r.params) for r in rules] == [
        ("add_note", {"text": "Won: {{ item.title }}"})]


async def test_the_notes_queries_read_their_index(
        services: CrmServices, admin: Staff, monkeypatch: pytest.MonkeyPatch) -> None:
    item = await services.items.create(admin, NewItem("deal", "Relaunch", amount=Decimal(1)))
    await services.notes.add(admin, item.id, "First")
    async with recording(monkeypatch) as statements:
        card = await services.cards.card(admin, item.id, with_history=True)
    assert [n.text for n in card.notes] == ["First"]
    on_card = [(sql, args) for sql, args in statements if "kind = 'note'" in sql]
    in_history = [(sql, args) for sql, args in statements
                  if "kind IN ('note', 'contact_change')" in sql]
    assert len(on_card) == 1 and len(in_history) == 1
    with plan_connection(services.uow.db.location) as conn:
        for (sql, args), index in [(on_card[0], "timeline_notes_by_item"),
                                   (in_history[0], "timeline_by_item")]:
            assert scans(conn, sql, args) == [], sql
            plan = " ".join(plan_lines(conn, sql, args))
            assert index in plan, plan
