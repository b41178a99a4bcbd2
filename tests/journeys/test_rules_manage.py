"""Managing rules in /rules: browsing type → stage with counts, a stage's rules in order,
and a rule's buttons — reorder, disable, execution, edit, copy and move, delete."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Role
from rules.model import Execution
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule
from tests.journeys.rules_steps import ACTOR, rules_in, tap
from tests.journeys.steps import admin, member, press, say


async def won_rules(crm: CrmBot) -> None:
    await add_rule(crm, ADMIN_ID, "won", "message_client",
                   {"template": "messages/thank_you.j2"}, title="Thank the client")
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible",
                   {"template": "messages/won_staff.j2"},
                   title="Congratulate the responsible person")
    await add_rule(crm, ADMIN_ID, "lost", "notify_responsible",
                   {"template": "messages/lost_staff.j2"}, title="Tell the responsible person")


async def test_browse_reorder_disable_and_delete(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await won_rules(crm)
    home = await say(tg, ada, "/rules")
    assert home.text is not None and "Automation rules</b> (3)" in home.text
    assert "Deal (3)" in home.button_texts and "Quote" in home.button_texts
    screen = await tap(tg, ada, home, "Deal (3)")
    assert "Won (2)" in screen.button_texts and "Lost (1)" in screen.button_texts
    assert "New" in screen.button_texts
    screen = await tap(tg, ada, screen, "Won (2)")
    assert "Rules of Deal › General › Won" in screen.rendered
    text = screen.rendered
    assert text.index("1. Thank the client") < text.index("2. Congratulate the responsible")
    assert "Telegram message to the client: “Dear Anna Schmidt, thank you for your" in text
    assert "🕒 immediately · independently of the others" in text

    card = await tap(tg, ada, screen, "2. Congratulate the responsible person")
    assert "position 2 of 2" in card.rendered
    toast = await press(tg, ada, card, "⬆")
    assert toast.text == "Moved up." and "position 1 of 2" in card.rendered
    since = len(tg.sent)
    await press(tg, ada, card, "⬆")  # already first: nothing changes, nothing is sent
    assert len(tg.sent) == since and "position 1 of 2" in card.rendered
    await tap(tg, ada, card, "⏸ Disable")
    assert "⏸ disabled" in card.rendered and "▶️ Enable" in card.button_texts
    await tap(tg, ada, card, "🔗 Run after the previous")
    assert "Runs: after the previous rule" in card.rendered
    first, second = await rules_in(crm, "won")
    assert first.title == "Congratulate the responsible person" and not first.enabled
    assert first.execution is Execution.AFTER_PREVIOUS and second.title == "Thank the client"

    await tap(tg, ada, card, "⬅ Back")
    assert "1. ⏸ Congratulate the responsible person" in card.rendered
    await tap(tg, ada, card, "1. ⏸ Congratulate")
    await tap(tg, ada, card, "🗑 Delete")
    assert "Delete the rule “Congratulate the responsible person”?" in card.rendered
    await tap(tg, ada, card, "No, keep it")
    assert len(await rules_in(crm, "won")) == 2
    await tap(tg, ada, card, "🗑 Delete")
    await tap(tg, ada, card, "Yes, delete it")
    assert "🗑 Deleted “Congratulate the responsible person”." in card.rendered
    assert [r.title for r in await rules_in(crm, "won")] == ["Thank the client"]


async def test_copy_and_move_to_another_stage(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await won_rules(crm)
    rule = await add_rule(crm, ADMIN_ID, "lost", "notify_responsible",
                          {"text": "Lost: {{ item.title }}"}, title="Mourn")
    card = await say(tg, ada, "/rules")
    for button in ("Deal", "Lost (2)", "2. Mourn", "📋 Copy to stage"):
        await tap(tg, ada, card, button)
    assert "Copy “Mourn” to which stage?" in card.rendered
    await tap(tg, ada, card, "Deal")
    assert "• Lost" in card.button_texts  # where it is now
    await tap(tg, ada, card, "Won")
    assert "✅ Copied." in card.rendered and "Deal › General › Won" in card.rendered
    assert [r.title for r in await rules_in(crm, "won")][-1] == "Mourn"
    assert [r.title for r in await rules_in(crm, "lost")][-1] == "Mourn"

    copied = (await rules_in(crm, "won"))[-1]
    assert copied.origin != rule.origin  # a copy is a rule of its own in rules files
    await tap(tg, ada, card, "➡️ Move to stage")
    await tap(tg, ada, card, "Quote")
    await tap(tg, ada, card, "Declined")
    assert "✅ Moved." in card.rendered and "Quote › General › Declined" in card.rendered
    assert "Mourn" not in [r.title for r in await rules_in(crm, "won")]
    assert rule.id in [r.id for r in await rules_in(crm, "lost")]
    quotes = await crm.services.catalog.pipelines("quote")
    [moved] = await crm.automation.rules.for_pipeline(ACTOR, quotes[0].id)
    assert moved.origin == copied.origin  # a moved rule keeps its key


async def test_editing_title_time_condition_and_settings(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await won_rules(crm)
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible", {"text": "Won!"}, title="Cheer")
    card = await say(tg, ada, "/rules")
    for button in ("Deal", "Won (3)", "3. Cheer", "✏️ Title"):
        await tap(tg, ada, card, button)
    assert "New title for “Cheer”?" in card.rendered
    card = await say(tg, ada, "Cheer the team")
    assert card.text is not None
    assert "✅ Saved." in card.rendered and "<b>Cheer the team</b>" in card.text
    await tap(tg, ada, card, "🕒 Time")
    card = await say(tg, ada, "nach 2 Stunden")
    assert "Time: after 2 hours" in card.rendered
    await tap(tg, ada, card, "❓ Condition")
    card = await say(tg, ada, "amount >= 1000")
    assert "Condition: amount >= 1000" in card.rendered
    await tap(tg, ada, card, "✏️ Settings")
    card = await say(tg, ada, "Won: {{ item.title }}")
    assert "Notify the responsible person: “Won: Website relaunch”" in card.rendered
    rule = (await rules_in(crm, "won"))[-1]
    assert (rule.title, rule.params) == ("Cheer the team", {"text": "Won: {{ item.title }}"})
    assert rule.condition == {"all": [{"field": "item.amount", "op": ">=", "value": "1000"}]}


async def test_a_salesperson_is_refused(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await won_rules(crm)
    for command in ("/rules", "/rules add", "/rules export", "/rules import"):
        answer = await say(tg, sam, command)
        assert "only an admin or someone allowed to edit settings" in answer.rendered, command
    card = await say(tg, ada, "/rules")
    rule = (await rules_in(crm, "won"))[0]
    forged = f"ru:15:{rule.id}"  # CONFIRM_DELETE, pressed by someone who may not
    sam.press(card, forged, strict=False)
    toast = await tg.wait_for_call("answerCallbackQuery")
    assert "only an admin" in str(toast.params.get("text"))
    assert len(await rules_in(crm, "won")) == 2
