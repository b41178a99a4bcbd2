"""Team chats: a group staff add the bot to receives the rules' notifications."""

from __future__ import annotations

from bot.app import CrmBot
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule
from tests.journeys.steps import admin, press_for_message, say

GROUP = -100_555


async def test_a_group_added_by_staff_gets_the_rules_posts(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sales_room = tg.group(GROUP, "Sales room")
    since = len(tg.sent)
    sales_room.add_bot(ada)
    hello = await tg.wait_for_message(GROUP, since=since)
    assert "Automation rules can now post to “Sales room”" in hello.rendered
    listing = await say(tg, ada, "/chats")
    assert f"Sales room {GROUP}" in listing.rendered

    await add_rule(crm, ADMIN_ID, "new", "notify_team_chat",
                   {"chat_id": GROUP, "text": "New deal: {{ item.title }}"}, title="Team")
    since = len(tg.sent)
    await say(tg, ada, "/new deal Relaunch; 900 EUR")
    post = await tg.wait_for_message(GROUP, since=since)
    assert post.rendered == "New deal: Relaunch"
    card = await press_for_message(tg, ada, post, "Open #1")
    assert "Relaunch" in card.rendered

    sales_room.remove_bot(ada)
    await tg.wait_until_idle()
    assert "Sales room" not in (await say(tg, ada, "/chats")).rendered


async def test_a_stranger_cannot_make_a_team_chat(tg: FakeTelegram, crm: CrmBot) -> None:
    await admin(tg)
    stranger = tg.user(7001, "Mallory")
    their_group = tg.group(-100_666, "Mallory's group")
    since = len(tg.sent)
    their_group.add_bot(stranger)
    answer = await tg.wait_for_message(-100_666, since=since)
    assert "Only our team can add me" in answer.rendered
    assert await crm.services.team_chats.list() == []
