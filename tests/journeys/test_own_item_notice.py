"""Nobody is told of their own new item (issue 12): the shipped "new deal" rule is not
triggered for the person who created the deal and is responsible for it; a deal someone
else creates for them still reaches them. Databases from before get the rule's new
condition from migration 021, unless an admin changed it."""

from __future__ import annotations

from pathlib import Path

from crm.clock import FrozenClock
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.databases import sqlite_only
from tests.fake_telegram import FakeTelegram
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.migration_steps import conditions_after
from tests.journeys.steps import admin, member, say, seed

OLD = {"all": [{"field": "responsible.name", "op": "not_empty", "value": None}]}
NEW = {"all": [*OLD["all"],
               {"field": "item.created_by_responsible", "op": "=", "value": "no"}]}


async def test_nobody_is_told_of_their_own_new_deal(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    settings = make_settings(tg, tg.base_url or "", tmp_path, default_rules=True)
    running = await start_bot(settings, clock)
    try:
        ada = await admin(tg)
        sam = await member(tg, ada, 2001, Role.SALES, language_code="de")
        await say(tg, sam, "/language de")
        since = len(tg.sent)
        await say(tg, sam, "/new deal Export; 900 EUR")
        await seed(running.app, ADMIN_ID, "deal", "Messe", responsible_id=2001)
        told = await tg.wait_for_message(sam.id, lambda m: "#2" in m.rendered, since=since)
        assert told.rendered.startswith("🆕 Neuer Auftrag #2 Messe")
        await running.app.automation.outbox.drain()
        notices = [m.rendered for m in tg.sent[since:]
                   if m.chat_id == sam.id and m.rendered.startswith("🆕")]
        assert notices == [told.rendered]  # not the one Sam created
        status = await say(tg, sam, "/status 1")
        assert "⚪ Verantwortliche Person über den neuen Auftrag informieren – nicht ausgelöst: " \
               "die verantwortliche Person hat es selbst angelegt" in status.rendered
    finally:
        await running.stop()


@sqlite_only  # PostgreSQL databases begin at baseline 029: none was ever older
async def test_migration_021_updates_the_shipped_rule_only(tmp_path: Path) -> None:
    found = await conditions_after(tmp_path / "old.sqlite3", 21, "notify_responsible", [
        ("default-deal-new-notify", OLD), (None, OLD), ("default-deal-won-notify", OLD)])
    assert found == [("default-deal-new-notify", NEW), (None, OLD),  # the shipped one only
                     ("default-deal-won-notify", OLD)]
