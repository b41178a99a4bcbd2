"""Closing (issue 12) on the hot paths: the card reads the stages an item reached with the
item's own row (no query of the stage history), a move by hand with a listed reason reads
that reason by its key, and the history trigger that keeps `items.stages_reached` finds
the item by its key."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from crm.container import CrmServices
from crm.models import Staff
from crm.services.closing import HandMove, LostReasonNeeded
from crm.services.items import NewItem
from crm.storage.repos.item_rows import stages_reached
from rules.conditions import evaluate, parse_condition
from rules.samples import sample_subject
from tests.databases import ON_POSTGRESQL, query
from tests.query_plans import SKIP, PlanConnection, plan_connection, recording, scans

DEAL_WON, DEAL_LOST = 11, 12


async def test_card_and_hand_moves_read_by_index(services: CrmServices, admin: Staff,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    deal = await services.items.create(admin, NewItem("deal", "Shop"))
    async with recording(monkeypatch) as card_statements:
        card = await services.cards.card(admin, deal.id)
    assert card.item.stages_reached == {deal.stage_id}
    assert not any("stage_history" in sql for sql, _args in card_statements)
    with pytest.raises(LostReasonNeeded):
        await services.cards.move(admin, deal.id, DEAL_LOST, deal.version, HandMove())
    reason = (await services.closing.offered(deal.pipeline_id))[0]
    async with recording(monkeypatch) as statements:
        await services.cards.move(admin, deal.id, DEAL_LOST, deal.version,
                                  HandMove(reason_id=reason.id))
        await services.closing.offered(deal.pipeline_id)
    location = services.uow.db.location
    with plan_connection(location) as conn:
        offenders = [line for sql, args in statements if not SKIP.match(sql)
                     for line in scans(conn, sql, args)]
        for statement in _trigger_statements(conn):  # NEW's columns as parameters
            offenders += scans(conn, re.sub(r"new\.\w+", "?", statement, flags=re.I),
                               (1,) * len(re.findall(r"new\.\w+", statement, re.I)))
    [row] = query(location, "SELECT stages_reached, lost_reason FROM items WHERE id = ?",
                  (deal.id,))
    assert not offenders, offenders
    assert stages_reached(row[0]) == {deal.stage_id, DEAL_LOST} and row[1] == reason.name


def _trigger_statements(conn: PlanConnection) -> list[str]:
    """The statements of the trigger keeping `items.stages_reached` (SQLite: its WHEN and its
    UPDATE; PostgreSQL: its function's UPDATE, the condition in the WHERE)."""
    if ON_POSTGRESQL:
        body = str(conn.execute("SELECT prosrc FROM pg_proc WHERE proname = "
                                "'item_stages_reached'").fetchall()[0][0])
        return [body[body.index("UPDATE"):body.index(";")]]
    trigger = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'item_stages_reached'"
                           ).fetchall()[0][0]
    when = trigger[trigger.index("(SELECT"):trigger.index("= 0")].strip()[1:-1]
    return [when, trigger[trigger.index("UPDATE"):trigger.rindex(";")]]


def test_a_condition_reads_the_lost_reason() -> None:
    """Rules of a failure stage may ask why the item was lost (issue 12)."""
    subject = sample_subject(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    tree = parse_condition("lost_reason = Price or lost_reason is empty")
    assert evaluate(tree, subject).passed  # no reason: empty
    subject.item.lost_reason = "Competitor"
    assert not evaluate(tree, subject).passed
    subject.item.lost_reason = "Price"
    assert evaluate(parse_condition("lost_reason = Price"), subject).passed
