"""Connecting a client (issue 12): a deal typed in by hand for a contact who never wrote to
the bot offers the client's start link with a share button; when the client opens it, the
client rules that could not reach them run again (once, however often the link is opened)
and the responsible person is told; the shipped greeting is skipped, not failed, for an
item without a contact. Databases from before get the greeting's condition (migration 017)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from crm.clock import FrozenClock
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.databases import sqlite_only
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import all_sent
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.migration_steps import conditions_after
from tests.journeys.steps import admin, member, say

JANA = 3005
LINK = re.compile(r"https://t\.me/\w+\?start=(c\d+_[0-9a-f]+)")
OLD = {"all": [{"field": "item.source", "op": "!=", "value": "telegram"}]}
NEW = {"all": [*OLD["all"], {"field": "contact.name", "op": "not_empty", "value": None}]}


async def test_a_deal_typed_in_by_hand_offers_the_start_link_and_greets_once_connected(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    running = await start_bot(make_settings(tg, tg.base_url or "", tmp_path,
                                            default_rules=True), clock)
    try:
        ada = await admin(tg)
        offer = await say(tg, ada, "/new deal Website relaunch; 15.000 EUR; Jana Hahn")
        assert "Created.\n\n🔗 Jana Hahn has not written to the bot yet, so messages to the " \
            "client cannot reach them." in offer.rendered  # in the reply that shows the card
        found = LINK.search(offer.rendered)
        assert found is not None, offer.rendered
        assert offer.button_texts[-1] == "📤 Share the link"
        share = offer.find_button("📤 Share the link")[1]
        assert share is not None and share.startswith("https://t.me/share/url?")
        shared = parse_qs(urlparse(share).query)
        assert shared["url"] == [found.group(0)]
        assert "Jana Hahn" in shared["text"][0]
        await tg.wait_until_idle()
        status = await say(tg, ada, "/status 1")
        assert "❌ Greet the client — failed: the client Jana Hahn has not started the bot" \
            in status.rendered

        jana = tg.user(JANA, "Jana", "Hahn")
        since = len(tg.sent)
        jana.send(f"/start {found.group(1)}")
        hello = await tg.wait_for_message(JANA, lambda m: "connected" in m.rendered,
                                          since=since)
        assert hello.rendered.startswith("Hello Jana Hahn! You are connected")
        greeting = await tg.wait_for_message(JANA, lambda m: "connected" not in m.rendered,
                                             since=since)
        assert greeting.rendered.startswith("Hello Jana Hahn!\nThank you for your interest in "
                                            "Website relaunch.")
        told = await tg.wait_for_message(ADMIN_ID, lambda m: "🔗" in m.rendered, since=since)
        assert told.rendered == ("🔗 Jana Hahn is connected to the bot now: 1 rule of "
                                 "#1 Website relaunch runs again.")
        assert told.button_texts == ["Open #1"]
        await all_sent(running.app)
        status = await say(tg, ada, "/status 1")
        assert "✅ Greet the client — executed" in status.rendered
        assert "❌" not in status.rendered

        since = len(tg.sent)  # the link opened again: nothing runs twice
        jana.send(f"/start {found.group(1)}")
        await tg.wait_for_message(JANA, lambda m: "connected" in m.rendered, since=since)
        await tg.wait_until_idle()
        assert [m.rendered for m in tg.sent[since:] if m.chat_id == JANA] == [hello.rendered]
        assert not any("🔗" in m.rendered for m in tg.sent[since:] if m.chat_id == ADMIN_ID)

        since = len(tg.sent)  # a contact who is connected already: no link offered
        await say(tg, ada, "/new deal Hosting; 900 EUR; Jana Hahn")
        await tg.wait_until_idle()
        assert not any("🔗" in m.rendered for m in tg.sent[since:])
    finally:
        await running.stop()


async def test_an_item_without_contact_shows_the_greeting_skipped_not_failed(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    running = await start_bot(make_settings(tg, tg.base_url or "", tmp_path,
                                            default_rules=True), clock)
    try:
        ada = await admin(tg)
        card = await say(tg, ada, "/new deal Office chairs; 900 EUR")
        assert "❌" not in card.rendered
        await tg.wait_until_idle()
        status = await say(tg, ada, "/status 1")
        assert "❌" not in status.rendered
        assert "Greet the client" in status.rendered and "contact.name" in status.rendered
        assert not any("🔗" in m.rendered for m in tg.messages_to(ADMIN_ID))
    finally:
        await running.stop()


async def test_the_start_link_offer_and_the_connection_in_german(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    running = await start_bot(make_settings(tg, tg.base_url or "", tmp_path,
                                            default_rules=True), clock)
    try:
        ada = await admin(tg)
        sam = await member(tg, ada, 2001, Role.SALES, language_code="de")
        await say(tg, sam, "/language de")
        offer = await say(tg, sam, "/new deal Messestand; 2.000 EUR; Jana Hahn")
        assert "🔗 Jana Hahn hat dem Bot noch nicht geschrieben" in offer.rendered
        assert offer.button_texts[-1] == "📤 Link teilen"
        share = offer.find_button("📤 Link teilen")[1] or ""
        assert "bitte öffnen Sie diesen Link" in parse_qs(urlparse(share).query)["text"][0]
        found = LINK.search(offer.rendered)
        assert found is not None
        jana = tg.user(JANA, "Jana", "Hahn", language_code="de")
        since = len(tg.sent)
        jana.send(f"/start {found.group(1)}")
        told = await tg.wait_for_message(sam.id, lambda m: "🔗" in m.rendered, since=since)
        assert told.rendered == ("🔗 Jana Hahn ist jetzt mit dem Bot verbunden: 1 Regel von "
                                 "#1 Messestand läuft erneut.")
        assert told.button_texts == ["#1 öffnen"]
    finally:
        await running.stop()


@sqlite_only  # PostgreSQL databases begin at baseline 029: none was ever older
async def test_migration_017_gives_the_shipped_greeting_its_condition_only(
        tmp_path: Path) -> None:
    found = await conditions_after(tmp_path / "old.sqlite3", 17, "message_client", [
        ("default-deal-new-greeting", OLD), (None, OLD), ("default-deal-won-thanks", OLD)])
    assert found == [("default-deal-new-greeting", NEW), (None, OLD),  # the shipped one only
                     ("default-deal-won-thanks", OLD)]
