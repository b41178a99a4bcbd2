"""Triggers, client buttons and activities as people see them in Telegram: a client's
button press moves the deal and runs the stage's rules, a forged press does nothing; an
incoming webhook call with a bad signature changes nothing and a good one moves the deal;
an activity a rule creates reaches its assignee, "done" marks it and fires its trigger."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role, Staff, TimelineKind
from crm.services.items import NewItem
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule, deal_with_connected_client
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, press, say

HOOK_URL = re.compile(r"http://127\.0\.0\.1:\d+/hooks/trigger/\d+/\d+/[0-9a-f]{32}")
REFUSED = (403, {"ok": False, "error": "refused"})
ADMIN = Staff(ADMIN_ID, "Ada Admin", Role.ADMIN)
BERLIN = ZoneInfo("Europe/Berlin")


async def stage_code(crm: CrmBot, deal_id: int) -> str | None:
    item = await crm.services.items.get(ADMIN, deal_id)
    return (await crm.services.catalog.stage(item.stage_id)).code


async def test_a_clients_button_moves_the_deal_and_a_forged_press_does_nothing(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "preparing_documents", "message_client", {
        "text": "Here is your offer, {{ contact.name }}.",
        "buttons": [{"text": "✅ Accept the offer", "stage": "won"},
                    {"text": "📞 Call me back", "stage": "in_progress"}]}, title="Offer")
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Thank you for your order!"},
                   title="Thanks")
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    since = len(tg.sent)
    await say(tg, ada, f"/move {deal_id} preparing")
    offer = await tg.wait_for_message(carl.id, since=since)
    assert offer.rendered == "Here is your offer, Carl Client."
    assert offer.button_texts == ["✅ Accept the offer", "📞 Call me back"]

    eve = tg.user(3002, "Eve", "Other")
    for who, data in ((eve, offer.callback_datas[0]), (carl, "cb:4242424242")):
        toast = await press(tg, who, offer, data=data, strict=False)
        assert (toast.text, toast.show_alert) == ("This button is not available to you.", True)
    assert await stage_code(crm, deal_id) == "preparing_documents"

    since = len(tg.sent)
    toast = await press(tg, carl, offer, "Accept the offer")
    assert toast.text == "Thank you! We have received “✅ Accept the offer”."
    thanks = await tg.wait_for_message(carl.id, since=since)
    assert thanks.rendered == "Thank you for your order!"
    assert await stage_code(crm, deal_id) == "won"
    timeline = await crm.services.inquiries.timeline(ADMIN, deal_id)
    assert [(e.kind, e.text) for e in timeline] == [
        (TimelineKind.CLIENT_BUTTON, "✅ Accept the offer")]

    since = len(tg.sent)  # the offer was answered: later presses change nothing
    for button in ("Call me back", "Accept the offer", "Call me back"):
        toast = await press(tg, carl, offer, button, strict=False)
        assert (toast.text, toast.show_alert) == (
            "This offer is no longer open. Just write to us if you need anything.", True)
    await crm.automation.tick()
    assert await stage_code(crm, deal_id) == "won"
    assert tg.sent[since:] == []
    assert len(await crm.services.inquiries.timeline(ADMIN, deal_id)) == 1


@pytest.fixture
async def crm_listening(tg: FakeTelegram, tmp_path: Path, clock: FrozenClock
                        ) -> AsyncIterator[CrmBot]:
    """The bot in polling mode with its listener for webhook triggers on a free port."""
    running = await start_bot(make_settings(tg, tg.base_url or "", tmp_path, trigger_listen_port=0),
                              clock)
    yield running.app
    await running.stop()


async def test_an_incoming_webhook_moves_the_deal_only_with_a_good_signature(
        tg: FakeTelegram, crm_listening: CrmBot) -> None:
    crm = crm_listening
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Payment received!"},
                   title="Paid")
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    added = await say(tg, ada, "/triggers add deal won webhook")
    assert added.rendered.startswith("Trigger added:\n#1 Deal · ")
    assert "each item has a URL of its own: /triggers url 1 <item>" in added.rendered
    shown = await say(tg, ada, f"/triggers url 1 {deal_id}")
    assert f"URL of trigger #1 for item #{deal_id} — it moves this item only" in shown.rendered
    found = HOOK_URL.search(shown.rendered)
    assert found, shown.rendered
    url = found.group(0)
    forged = url[:-1] + ("1" if url[-1] == "0" else "0")
    before = await crm.services.items.get(ADMIN, deal_id)
    async with aiohttp.ClientSession() as http:
        async with http.post(forged) as refused:
            assert (refused.status, await refused.json()) == REFUSED
        after = await crm.services.items.get(ADMIN, deal_id)
        assert (after.stage_id, after.version) == (before.stage_id, before.version)

        since = len(tg.sent)
        async with http.post(url, json={"item_id": deal_id}) as accepted:
            body = await accepted.json()
        assert accepted.status == 200 and body["moved"] is True
    paid = await tg.wait_for_message(carl.id, since=since)
    assert paid.rendered == "Payment received!"
    assert await stage_code(crm, deal_id) == "won"
    listing = await say(tg, ada, "/triggers")
    assert "#1 Deal · " in listing.rendered and "/triggers url 1 <item>" in listing.rendered


async def test_a_deals_url_moves_no_other_and_all_refusals_look_the_same(
        tg: FakeTelegram, crm_listening: CrmBot) -> None:
    """The URL of one deal cannot be pointed at another (`?item=`), and a call naming
    another deal, an unknown one, one of another pipeline, or coming from one of our own
    outgoing webhooks is answered exactly alike, changing nothing."""
    crm = crm_listening
    ada = await admin(tg)
    first = await crm.services.items.create(ADMIN, NewItem("deal", "Relaunch"))
    other = await crm.services.items.create(ADMIN, NewItem("deal", "Shop"))
    wholesale = await crm.services.catalog.add_pipeline(ADMIN, "deal", "Wholesale")
    bulk = await crm.services.items.create(ADMIN, NewItem("deal", "Bulk",
                                                          pipeline_id=wholesale.id))
    await say(tg, ada, "/triggers add deal won webhook")
    found = HOOK_URL.search((await say(tg, ada, f"/triggers url 1 {first.id}")).rendered)
    assert found
    url = found.group(0)
    base = url.split("/hooks/")[0]
    sign = crm.dp["workflow"].triggers.signer.sign
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("post", f"{url}?item={other.id}", {}), ("get", f"{url}?item={other.id}", {}),
        ("post", url, {"json": {"item_id": other.id}}),
        ("post", f"{base}/hooks/trigger/1/999999/{sign(1, 999999)}", {}),
        ("post", f"{base}/hooks/trigger/1/{bulk.id}/{sign(1, bulk.id)}", {}),
        ("post", f"{base}/hooks/trigger/7/{first.id}/{sign(7, first.id)}", {}),
        ("post", url, {"headers": {"X-CRM-Delivery": "run-1", "X-CRM-Signature": "sha256=00"}})]
    async with aiohttp.ClientSession() as http:
        for method, address, options in calls:
            async with http.request(method, address, **options) as answer:
                assert (answer.status, await answer.json()) == REFUSED, address
    for deal in (first, other, bulk):
        assert (await crm.services.items.get(ADMIN, deal.id)).version == 1


async def test_an_activity_reaches_its_assignee_and_done_fires_its_trigger(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "new", "create_activity", {
        "activity": "call", "subject": "Call {{ contact.name }} about {{ item.title }}",
        "deadline": "after 2 hours"}, title="Call")
    await add_rule(crm, ADMIN_ID, "preparing_documents", "notify_responsible",
                   {"text": "📄 Prepare the documents for {{ item.title }}"}, title="Docs")
    await say(tg, ada, "/triggers add deal preparing done")
    since = len(tg.sent)
    ada.send("/new deal Relaunch; 15.000 EUR; Carl Client")
    # the card comes once the rules due at once ran: the rule's own message may come first
    await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered.startswith("Deal #1"), since=since)
    task = await tg.wait_for_message(ADMIN_ID, lambda m: "for you" in m.rendered, since=since)
    assert task.rendered == ("📞 Call for you: Call Carl Client about Relaunch\n"
                             "#1 · Relaunch\nDue: 11/23/26, 12:00\u202fPM")
    assert task.button_texts == ["✅ Done", "Open #1"]
    card = await say(tg, ada, "/item 1")
    assert "Open activities\n📞 Call Carl Client about Relaunch — 11/23/26, 12:00\u202fPM" \
        in card.rendered
    listing = await say(tg, ada, "/activities")
    assert listing.rendered == ("My activities (1), the most urgent first:\n"
                                "1. 📞 Call Carl Client about Relaunch — due 11/23/26, "
                                "12:00\u202fPM · #1 Relaunch")

    since = len(tg.sent)
    toast = await press(tg, ada, task, "✅ Done")
    assert toast.text == "Done: Call Carl Client about Relaunch"
    docs = await tg.wait_for_message(ADMIN_ID, lambda m: "Prepare" in m.rendered, since=since)
    assert docs.rendered == "📄 Prepare the documents for Relaunch"
    assert await stage_code(crm, 1) == "preparing_documents"
    assert task.rendered.endswith("✅ Done (Ada Admin)")  # edited in place
    assert task.button_texts == ["Open #1"]
    assert (await say(tg, ada, "/activities")).rendered == "You have no open activities. 🎉"


async def test_an_overdue_reminder_and_the_morning_digest_reach_the_salesperson(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "new", "create_activity", {
        "subject": "Send the offer", "deadline": "after 2 hours"}, title="Offer")
    since = len(tg.sent)
    await say(tg, ada, "/new deal Relaunch; 15.000 EUR")
    await tg.wait_for_message(ADMIN_ID, lambda m: "for you" in m.rendered, since=since)
    await tg.wait_for_message(ADMIN_ID, lambda m: "Created." in m.rendered, since=since)

    workflow = crm.dp["workflow"]
    since = len(tg.sent)
    clock.advance(hours=2)
    workflow.reminders.wake()
    reminder = await tg.wait_for_message(ADMIN_ID, since=since)
    assert reminder.rendered == ("⏰ Due 11/23/26, 12:00\u202fPM: 📋 Send the offer\n"
                                 "#1 · Relaunch")
    # snoozing: tests/journeys/test_reminders.py
    assert reminder.button_texts == ["✅ Done", "Open #1", "⏰ +1 h", "🌅 Tomorrow 9:00"]

    job = crm.automation.scheduler.get_job("digest")  # the timer: a daily cron job
    assert job is not None and job.next_run_time.astimezone(BERLIN).time() == time(8, 30)
    clock.advance(hours=20)  # Tuesday 08:00 in Berlin
    since = len(tg.sent)
    clock.advance(minutes=30)
    assert await workflow.digest.run() == 1
    workflow.automation.outbox.wake()
    digest = await tg.wait_for_message(ADMIN_ID, since=since)
    assert digest.rendered.startswith("☀️ Good morning, Ada Admin! Your day, Nov 24, 2026:")
    assert "📅 Activities due today\n• 11/23/26, 12:00\u202fPM (overdue) 📋 Send the offer" \
        in digest.rendered
    since = len(tg.sent)
    card = await press(tg, ada, digest, "#1 Relaunch")
    assert card.text is None  # opening a card answers the press without a toast
    opened = await tg.wait_for_message(ADMIN_ID, since=since)
    assert opened.rendered.startswith("Deal #1 · Relaunch")
    assert len([m for m in tg.messages_to(ADMIN_ID) if m.rendered.startswith("⏰")]) == 1
