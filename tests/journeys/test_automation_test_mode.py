"""Test mode and stopping automation, as staff use them in the chat."""

from __future__ import annotations

from bot.app import CrmBot
from crm.clock import FrozenClock
from rules.model import Timing, TimingMode
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule, deal_with_connected_client
from tests.journeys.steps import admin, press, say


async def test_test_mode_shows_each_rule_and_sends_nothing_to_the_client(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client",
                   {"text": "Danke, <b>{{ contact.name }}</b>!"}, title="Thank")
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Big one!"},
                   title="Big", condition={"all": [{"field": "amount", "op": ">=",
                                                    "value": "100000"}]})
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    client_messages = len(tg.messages_to(carl.id))

    since = len(tg.sent)
    ada.send(f"/rules test {deal_id} won")
    offer = await tg.wait_for_message(ADMIN_ID, lambda m: "as the recipient" in m.rendered,
                                      since=since)
    reports = [m.rendered for m in tg.sent[since:] if m.chat_id == ADMIN_ID]
    assert "nothing was sent to anyone and nothing was changed" in reports[0]
    assert "1. Thank" in reports[1] and "→ to Carl Client (en):" in reports[1]
    assert "Danke, Carl Client!" in reports[1]
    assert "✗ condition not met: amount 15,000 < 100,000" in reports[2]

    toast = await press(tg, ada, offer, "Send these messages to me")
    assert toast.text == "1 message on the way to you."
    echo = await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered == "Danke, Carl Client!")
    assert echo.text == "Danke, <b>Carl Client</b>!"
    await tg.wait_until_idle()
    assert len(tg.messages_to(carl.id)) == client_messages
    card = await say(tg, ada, f"/item {deal_id}")
    assert "▶️ New" in card.rendered  # the item did not move


async def test_stop_keeps_waiting_rules_from_running(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Review us!"},
                   title="Review", timing=Timing(mode=TimingMode.DELAY, amount=1, unit="days"))
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    await say(tg, ada, f"/move {deal_id} won")
    stopped = await say(tg, ada, f"/stop {deal_id}")
    assert "stopped in its current stage (1 waiting rule will not run)" in stopped.rendered
    clock.advance(days=2)
    crm.automation.runs.wake()
    await tg.wait_until_idle()
    assert "Review us!" not in [m.rendered for m in tg.messages_to(carl.id)]
    status = await say(tg, ada, f"/status {deal_id}")
    assert "⏹ Automation is stopped for this item in this stage." in status.rendered
    assert "⏹ Review — automation was stopped by Ada Admin" in status.rendered


async def test_leaving_the_stage_cancels_the_rule_still_waiting_there(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Review us!"},
                   title="Review", timing=Timing(mode=TimingMode.DELAY, amount=2, unit="hours"))
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    await say(tg, ada, f"/move {deal_id} won")
    await say(tg, ada, f"/move {deal_id} lost; No response")  # lost needs a reason (issue 12)
    clock.advance(hours=3)
    crm.automation.runs.wake()
    await tg.wait_until_idle()
    assert "Review us!" not in [m.rendered for m in tg.messages_to(carl.id)]
    status = await say(tg, ada, f"/status {deal_id}")
    assert "Earlier in “Won”:" in status.rendered
    assert "✖️ Review — cancelled: the item left the stage before the rule ran" in status.rendered
