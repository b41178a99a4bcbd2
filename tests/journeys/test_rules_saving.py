"""Saving a rule: a template that does not render is caught with its line and can be fixed
without starting over; a new rule may be applied to the items already in its stage."""

from __future__ import annotations

from functools import partial

from bot.app import CrmBot
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.rules_steps import rules_in, tap
from tests.journeys.steps import admin, say


async def notify_rule_until_condition(tg: FakeTelegram, ada: FakeUser, stage: str,
                                      text: str) -> SentMessage:
    """/rules add for deals in `stage`: notify the responsible person with `text`, run
    independently and immediately; returns the condition question."""
    dialog = await say(tg, ada, "/rules add")
    dialog = await tap(tg, ada, dialog, "Deal")
    dialog = await tap(tg, ada, dialog, stage)
    dialog = await tap(tg, ada, dialog, "Notify the responsible person")
    assert "type the text of the message" in dialog.rendered
    dialog = await say(tg, ada, text)
    dialog = await tap(tg, ada, dialog, "Independently of the others")
    return await tap(tg, ada, dialog, "Immediately")


async def test_a_template_error_is_shown_on_save_and_fixed_in_place(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    before = len(await rules_in(crm, "won"))
    question = await notify_rule_until_condition(tg, ada, "Won", "Won: {{ item.titel }}!")
    since = len(tg.sent)
    await tap(tg, ada, question, "No condition")
    await tap(tg, ada, question, "Take the suggestion")
    problem = await tg.wait_for_message(ADMIN_ID, since=since)
    assert "The template does not work: template inline line 1:" in problem.rendered
    assert "titel" in problem.rendered
    asked = await tg.wait_for_message(ADMIN_ID, lambda m: "which message?" in m.rendered,
                                      since=since)
    assert "Notify the responsible person" in asked.rendered
    assert len(await rules_in(crm, "won")) == before

    saved = await say(tg, ada, "Won: {{ item.title }}!")
    assert "✅ Saved." in saved.rendered and "Condition: always" in saved.rendered
    rule = (await rules_in(crm, "won"))[-1]
    assert rule.params == {"text": "Won: {{ item.title }}!"} and rule.condition is None


async def test_a_new_rule_may_be_applied_to_the_items_already_in_its_stage(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    for title in ("Alpha", "Beta"):
        await say(tg, ada, f"/new deal {title}")
    question = await notify_rule_until_condition(tg, ada, "New",
                                                 "Still open: {{ item.title }}")
    since = len(tg.sent)
    await tap(tg, ada, question, "No condition")
    await tap(tg, ada, question, "Take the suggestion")
    offer = await tg.wait_for_message(ADMIN_ID, lambda m: "not retroactive" in m.rendered,
                                      since=since)
    assert "2 items are already in the stage “New”" in offer.rendered
    since = len(tg.sent)
    await tap(tg, ada, offer, "Apply to 2")
    assert "Applied to 2 items" in offer.rendered
    for title in ("Alpha", "Beta"):
        note = await tg.wait_for_message(
            ADMIN_ID, partial(renders, f"Still open: {title}"), since=since)
        assert note.buttons  # opens the item


async def test_only_new_items_when_the_admin_says_so(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Gamma")
    question = await notify_rule_until_condition(tg, ada, "New", "Hello {{ item.title }}")
    since = len(tg.sent)
    await tap(tg, ada, question, "No condition")
    await tap(tg, ada, question, "Take the suggestion")
    offer = await tg.wait_for_message(ADMIN_ID, lambda m: "not retroactive" in m.rendered,
                                      since=since)
    await tap(tg, ada, offer, "Only new ones")
    assert "only for items that enter the stage from now on" in offer.rendered
    await tg.wait_until_idle()
    assert not [m for m in tg.messages_to(ADMIN_ID) if m.rendered == "Hello Gamma"]


def renders(text: str, message: SentMessage) -> bool:
    return message.rendered == text
