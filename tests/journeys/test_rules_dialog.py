"""Adding a rule with the guided dialog: type → pipeline → stage → kind → its settings →
execution → time → condition, with wrong answers and /cancel on the way."""

from __future__ import annotations

from bot.app import CrmBot
from crm.services.team_chats import TeamChatService
from rules.model import Execution, TimeUnit, TimingMode
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.rules_steps import rules_in, tap
from tests.journeys.steps import admin, press, say, staff_of


async def test_a_rule_is_added_step_by_step(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    before = len(await rules_in(crm, "won"))
    dialog = await say(tg, ada, "/rules add")
    assert "for which type?" in dialog.rendered
    dialog = await tap(tg, ada, dialog, "Deal")
    assert "Which stage" in dialog.rendered  # deals have one pipeline: no question
    dialog = await tap(tg, ada, dialog, "Won")
    assert "Client communication" in dialog.rendered and "Employee work" in dialog.rendered
    wrong = await say(tg, ada, "just do something")
    assert "Please use the buttons above" in wrong.rendered
    dialog = await tap(tg, ada, dialog, "Telegram message to the client")
    assert "Dear Anna Schmidt, thank you for your order!" in dialog.rendered  # not a file name
    dialog = await tap(tg, ada, dialog, "thank you for your")
    dialog = await tap(tg, ada, dialog, "After the previous rule")
    dialog = await tap(tg, ada, dialog, "only in working hours")
    assert "☑ only in working hours" in dialog.button_texts
    bad_time = await say(tg, ada, "after 3 fortnights")
    assert "I could not read the time “after 3 fortnights”" in bad_time.rendered
    question = await say(tg, ada, "after 2 hours")
    assert "Only for some items?" in question.rendered
    bad_condition = await say(tg, ada, "amout > 15000")
    assert "position 1: “amout” is not a field I know" in bad_condition.rendered
    title = await say(tg, ada, "amount > 15000 and currency = EUR")
    assert "what should the rule be called?" in title.rendered
    assert "Telegram message to the client – after 2 hours, in working hours" in title.rendered
    saved = await tap(tg, ada, title, "Take the suggestion")
    assert "✅ Saved." in saved.rendered
    assert "Telegram message to the client: “Dear Anna Schmidt, thank you for your" in \
        saved.rendered

    rules = await rules_in(crm, "won")
    assert len(rules) == before + 1
    rule = rules[-1]
    assert rule.kind == "message_client" and rule.params == {"template": "messages/thank_you.j2"}
    assert rule.execution is Execution.AFTER_PREVIOUS
    assert (rule.timing.mode, rule.timing.amount, rule.timing.unit) == (
        TimingMode.DELAY, 2, TimeUnit.HOURS)
    assert rule.timing.working_hours_only
    assert rule.condition == {"all": [
        {"field": "item.amount", "op": ">", "value": "15000"},
        {"field": "item.currency", "op": "=", "value": "EUR"}]}


async def test_cancel_leaves_nothing_behind(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    before = len(await rules_in(crm, "new"))
    dialog = await say(tg, ada, "/rules add")
    dialog = await tap(tg, ada, dialog, "Deal")
    dialog = await tap(tg, ada, dialog, "New")
    assert "Cancelled. Nothing was saved." in (await say(tg, ada, "/cancel")).rendered
    toast = await press(tg, ada, dialog, "Notify the responsible person")
    assert toast.text and "not valid" in toast.text
    assert len(await rules_in(crm, "new")) == before
    assert "nothing to cancel" in (await say(tg, ada, "/cancel")).rendered
    assert ADMIN_ID


async def test_pipeline_choice_recipients_and_a_kind_without_its_own_dialog(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/pipelines add deal Export")
    team = tg.group(-100777, "Sales team")
    actor = await staff_of(crm, ADMIN_ID)
    await TeamChatService(crm.services.uow, crm.services.clock).joined(team.id, team.data[
        "title"], actor)

    dialog = await say(tg, ada, "/rules add")
    dialog = await tap(tg, ada, dialog, "Deal")
    assert "Which pipeline?" in dialog.rendered
    dialog = await tap(tg, ada, dialog, "Export")
    dialog = await tap(tg, ada, dialog, "New")
    dialog = await tap(tg, ada, dialog, "Notify a staff member")
    assert "Which team member" in dialog.rendered
    dialog = await tap(tg, ada, dialog, "Ada Admin")
    dialog = await say(tg, ada, "New export deal: {{ item.title }}")
    dialog = await tap(tg, ada, dialog, "Independently of the others")
    dialog = await tap(tg, ada, dialog, "after 1 day")
    dialog = await tap(tg, ada, dialog, "No condition")
    saved = await tap(tg, ada, dialog, "Take the suggestion")
    assert "Deal › Export › New" in saved.rendered and "Time: after 1 day" in saved.rendered

    dialog = await say(tg, ada, "/rules add")
    for button in ("Deal", "General", "Won", "Post to a team chat", "Sales team"):
        dialog = await tap(tg, ada, dialog, button)
    dialog = await tap(tg, ada, dialog, "Won: #1")
    dialog = await tap(tg, ada, dialog, "Independently of the others")
    dialog = await tap(tg, ada, dialog, "Immediately")
    dialog = await tap(tg, ada, dialog, "No condition")
    await say(tg, ada, "Tell the team")

    dialog = await say(tg, ada, "/rules add")
    for button in ("Deal", "General", "Won", "Change a field"):
        dialog = await tap(tg, ada, dialog, button)
    assert "Which field?" in dialog.rendered  # the typed way is a button away
    dialog = await tap(tg, ada, dialog, "Type all settings at once")
    assert "• field – Which field? (required)" in dialog.rendered
    unreadable = await say(tg, ada, "make it nice")
    assert "I could not read that" in unreadable.rendered
    invalid = await say(tg, ada, "field = colour")
    assert "not valid:\n• “field”: the field is title, amount" in invalid.rendered
    question = await say(tg, ada, "field = title\nvalue = {{ item.title }} (won)")
    assert "independently of the other rules" in question.rendered
    question = await tap(tg, ada, question, "After the previous rule")
    question = await tap(tg, ada, question, "Immediately")
    question = await tap(tg, ada, question, "No condition")
    await tap(tg, ada, question, "Take the suggestion")

    export = await rules_in(crm, "new", pipeline="Export")
    assert [r.params for r in export] == [
        {"text": "New export deal: {{ item.title }}", "user_id": ADMIN_ID}]
    assert [(r.kind, r.params) for r in await rules_in(crm, "won")] == [
        ("notify_team_chat", {"template": "messages/won_staff.j2", "chat_id": -100777}),
        ("change_field", {"field": "title", "value": "{{ item.title }} (won)"})]
    assert [r.title for r in await rules_in(crm, "won")] == [
        "Tell the team", "Change a field: title = {{ item.title }} (won)"]
