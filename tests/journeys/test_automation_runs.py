"""Automation as staff and clients see it in Telegram: a move sends the client a message and
notifies the responsible person; delayed rules, Telegram's limits and refusals, the status."""

from __future__ import annotations

from bot.app import CrmBot
from crm.clock import FrozenClock
from rules.model import Execution, Timing, TimingMode
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import (
    add_rule,
    all_sent,
    count_of,
    deal_with_connected_client,
    move,
    stored,
)
from tests.journeys.steps import admin, press, press_for_message, say


async def test_a_move_messages_the_client_and_notifies_the_responsible_person(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client",
                   {"text": "Thank you for your order, {{ contact.name }}!"}, title="Thank")
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible",
                   {"text": "🏆 {{ item.title }} won: {{ item.amount|money }}"}, title="Cheer")
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)

    since = len(tg.sent)
    await move(tg, ada, deal_id, "won")
    thanks = await tg.wait_for_message(carl.id, since=since)
    assert thanks.rendered == "Thank you for your order, Carl Client!"
    cheer = await tg.wait_for_message(ADMIN_ID, lambda m: "won:" in m.rendered, since=since)
    assert cheer.rendered == "🏆 Relaunch won: €15,000.00"
    card = await press_for_message(tg, ada, cheer, f"Open #{deal_id}")
    assert f"#{deal_id}" in card.rendered and "Relaunch" in card.rendered

    await all_sent(crm)  # both deliveries recorded
    status = await say(tg, ada, f"/status {deal_id}")
    assert "✅ Thank — executed" in status.rendered
    assert "✅ Cheer — executed" in status.rendered


async def test_a_delayed_rule_fires_when_the_clock_reaches_it(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "How was it?"},
                   title="Feedback", timing=Timing(mode=TimingMode.DELAY, amount=3,
                                                   unit="days"))
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    await say(tg, ada, f"/move {deal_id} won")
    status = await say(tg, ada, f"/status {deal_id}")
    assert "⏳ Feedback — waiting until 11/26/26, 10:00\u202fAM" in status.rendered

    since = len(tg.sent)
    clock.advance(days=3)
    crm.automation.runs.wake()
    feedback = await tg.wait_for_message(carl.id, since=since)
    assert feedback.rendered == "How was it?"


async def test_an_after_previous_chain_keeps_its_order_and_a_false_condition_skips(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    for number in (1, 2, 3):
        await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": f"part {number}"},
                       title=f"Part {number}", execution=Execution.AFTER_PREVIOUS)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "VIP"}, title="VIP",
                   condition={"all": [{"field": "amount", "op": ">", "value": "50000"}]})
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    since = len(tg.sent)
    await say(tg, ada, f"/move {deal_id} won")
    await tg.wait_for_message(carl.id, lambda m: m.rendered == "part 3", since=since)
    assert [m.rendered for m in tg.messages_to(carl.id)[-3:]] == ["part 1", "part 2", "part 3"]
    status = await say(tg, ada, f"/status {deal_id}")
    assert "⚪ VIP — not triggered: amount 15,000 ≤ 50,000" in status.rendered


async def test_telegrams_wait_is_waited_out_and_the_message_arrives_once(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Thanks!"}, title="Thank")
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    tg.fail_next("sendMessage", 429, retry_after=1, chat_id=carl.id)
    since = len(tg.calls)
    await say(tg, ada, f"/move {deal_id} won")
    refused = await tg.wait_for_call("sendMessage", lambda c: c.chat_id == carl.id, since=since)
    assert refused.error_code == 429

    async def wait_recorded() -> bool:
        return await count_of(crm, "SELECT COUNT(*) FROM outbox"
                                   " WHERE retry_after_until IS NOT NULL") == 1

    await stored(wait_recorded)
    status = await say(tg, ada, f"/status {deal_id}")
    assert "⏳ Thank — Telegram asked to wait until" in status.rendered

    clock.advance(seconds=1)
    await tg.wait_for_message(carl.id, lambda m: m.rendered == "Thanks!", since=0)
    crm.automation.outbox.wake()
    await tg.wait_until_idle()
    assert [m.rendered for m in tg.messages_to(carl.id)].count("Thanks!") == 1


async def test_a_client_who_blocked_the_bot_shows_as_failed_with_that_reason(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "message_client", {"text": "Thanks!"}, title="Thank")
    deal_id, carl = await deal_with_connected_client(tg, crm, ada)
    tg.block(carl.id)
    since = len(tg.calls)
    await say(tg, ada, f"/move {deal_id} won")
    await tg.wait_for_call("sendMessage", lambda c: c.chat_id == carl.id, since=since)
    await tg.wait_until_idle()
    status = await say(tg, ada, f"/status {deal_id}")
    assert "❌ Thank — failed: the client blocked the bot" in status.rendered


async def test_a_template_error_shows_as_failed_naming_template_line_and_name(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible",
                   {"text": "Deal {{ item.title }}\ndue {{ item.custom.deadline|date }}"},
                   title="Deadline")
    deal_id, _carl = await deal_with_connected_client(tg, crm, ada)
    await say(tg, ada, f"/move {deal_id} won")
    await tg.wait_until_idle()
    status = await say(tg, ada, f"/status {deal_id}")
    assert "❌ Deadline — failed: template inline line 2:" in status.rendered
    assert "deadline" in status.rendered


async def test_a_client_who_has_not_started_the_bot_gets_a_link_to_do_so(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "new", "message_client", {"text": "Hi!"}, title="Greet")
    await say(tg, ada, "/new deal Website; 100 EUR; Dora Offline")
    await tg.wait_until_idle()
    status = await say(tg, ada, "/status 1")
    assert "❌ Greet — failed: the client Dora Offline has not started the bot yet" in \
        status.rendered
    assert "https://t.me/crm_test_bot?start=c1_" in status.rendered


async def test_the_card_says_what_the_new_stages_rules_did_and_has_automation_buttons(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Won!"}, title="Cheer")
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Later"}, title="Later",
                   timing=Timing(mode=TimingMode.DELAY, amount=1, unit="days"))
    card = await say(tg, ada, "/new deal Relaunch; 500 EUR")
    moved = await move(tg, ada, 1, "won")
    assert "Moved to “Won”." in moved.rendered
    assert "⚙️ 2 rules here, 1 done, 1 waiting until 11/24/26, 10:00\u202fAM — /status 1 " \
           "shows each" in moved.rendered
    since = len(tg.sent)
    ada.press_button(moved, "⚙️ Automation")
    status = await tg.wait_for_message(ADMIN_ID, lambda m: "Automation of #1" in m.rendered,
                                       since=since)
    assert "⏳ Later — waiting until" in status.rendered
    # "Cheer" runs at once, in the background: stop once it has, leaving "Later" waiting
    await stored(lambda: _has_run(crm, "Cheer"))
    toast = await press(tg, ada, moved, "⏹ Stop automation")
    assert toast.text == "Automation stopped (1 waiting rule will not run)."
    assert card.rendered.startswith("Deal #1")


async def _has_run(crm: CrmBot, title: str) -> bool:
    return await count_of(crm, "SELECT COUNT(*) FROM rule_runs r JOIN rules u ON u.id = r.rule_id"
                               f" WHERE u.title = '{title}' AND r.state IN ('running', 'done')") > 0


async def test_the_card_after_a_move_shows_the_item_as_the_rules_due_at_once_left_it(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "preparing_documents", "change_field",
                   {"field": "amount", "value": "18000"}, title="Reprice")
    await add_rule(crm, ADMIN_ID, "preparing_documents", "notify_responsible",
                   {"text": "Big one!"}, title="Big",
                   condition={"all": [{"field": "amount", "op": ">=", "value": "100000"}]})
    card = await say(tg, ada, "/new deal Relaunch; 15.000 EUR")
    assert "Amount: €15,000.00" in card.rendered
    toast = await press(tg, ada, card, "Preparing documents ▶")  # the card is edited
    assert toast.text == "Moved to Preparing documents"
    assert "Amount: €18,000.00" in card.rendered
    assert "⚙️ 2 rules here, 1 done, 1 was not triggered — /status 1 shows each" in card.rendered
    moved = await move(tg, ada, 1, "won")  # typed; a stage without rules says nothing of them
    assert "Moved to “Won”." in moved.rendered and "⚙️" not in moved.rendered
