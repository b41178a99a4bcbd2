"""Inquiry notifications and staff replies go through the outbox: written in the transaction
that files the message or keeps the reply, so a failed send (or a crash in it) only delays
them; the notification keeps its buttons."""

from __future__ import annotations

from bot.app import CrmBot
from crm.clock import FrozenClock
from rules.storage.unit import repos
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.mode_steps import items_of
from tests.journeys.steps import admin, say

CLIENT_ID = 3001


async def retry_later(crm: CrmBot, clock: FrozenClock) -> None:
    """The outbox's pause after a failed send is over."""
    await crm.automation.outbox.drain()  # after the pass that saw the failure
    clock.advance(seconds=5)
    crm.automation.outbox.wake()


async def test_a_notification_whose_send_failed_arrives_later_with_its_buttons(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    tg.fail_next("sendMessage", 502, description="Bad Gateway", chat_id=ADMIN_ID)
    since, calls = len(tg.sent), len(tg.calls)
    carl.send("Do you ship to Austria?")
    ack = await tg.wait_for_message(CLIENT_ID, since=since)
    assert ack.rendered.startswith("Thank you for your message!")
    await tg.wait_for_call("sendMessage", lambda c: c.chat_id == ADMIN_ID and not c.ok,
                           since=calls)
    async with crm.services.uow(write=False) as uow:  # kept, to be sent again
        assert await repos(uow).outbox.counts() == {"pending": 1}

    await retry_later(crm, clock)
    note = await tg.wait_for_message(ADMIN_ID, lambda m: "📩" in m.rendered, since=since)
    deal = (await items_of(crm, "deal"))[0]
    assert note.rendered.startswith(f"📩 New inquiry from Carl Client · Deal #{deal.id}")
    assert note.button_texts == [f"Open #{deal.id}", "💬 Conversation", "🙋 Take it",
                                 "✏️ Rename"]
    await tg.wait_until_idle()
    assert [m.chat_id for m in tg.sent[since:]] == [CLIENT_ID, ADMIN_ID]  # no apology

    since = len(tg.sent)
    tg.fail_next("sendMessage", 502, description="Bad Gateway", chat_id=CLIENT_ID)
    ada = tg.user(ADMIN_ID, "Ada", "Admin")
    ada.reply_to(note, "Yes, we do.")  # the reply to a notification finds its item
    done = await tg.wait_for_message(ADMIN_ID, since=since)
    assert done.rendered == f"✉️ On its way to the client and kept on the timeline of #{deal.id}."
    await tg.wait_for_call("sendMessage", lambda c: c.chat_id == CLIENT_ID and not c.ok)
    await retry_later(crm, clock)
    answer = await tg.wait_for_message(CLIENT_ID, since=since)
    assert answer.rendered == "Yes, we do."


async def test_a_reply_reaches_the_client_once(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    carl.send("Hello")
    await tg.wait_for_message(ADMIN_ID, lambda m: "📩" in m.rendered)
    deal_id = (await items_of(crm, "deal"))[0].id
    since = len(tg.sent)
    await say(tg, ada, f"/reply {deal_id} Hello Carl, how can we help?")
    await tg.wait_for_message(CLIENT_ID, since=since)
    await tg.wait_until_idle()
    assert [m.rendered for m in tg.messages_to(CLIENT_ID)][-1:] == ["Hello Carl, how can we help?"]
    assert sum(m.chat_id == CLIENT_ID for m in tg.sent[since:]) == 1
