"""The further triggers as an admin sets them up in the chat: a field's change (to one
value) and a new responsible person move the deal and run its new stage's rules; a trigger
whose condition is false for the deal does nothing, and /triggers says so."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Role, Staff
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser
from tests.journeys.automation_steps import add_rule
from tests.journeys.steps import admin, member, press, say

ADMIN = Staff(ADMIN_ID, "Ada Admin", Role.ADMIN)


async def stage_code(crm: CrmBot, deal_id: int) -> str | None:
    item = await crm.services.items.get(ADMIN, deal_id)
    return (await crm.services.catalog.stage(item.stage_id)).code


async def choose(tg: FakeTelegram, user: FakeUser, button: str) -> str:
    """Presses `button` on the dialog's last message; returns the question then shown (the
    message is edited in place)."""
    last = [m for m in tg.messages_to(user.id) if m.button_texts][-1]
    await press(tg, user, last, button)
    return tg.messages_to(user.id)[-1].rendered or ""


async def test_a_field_changed_to_a_value_moves_the_deal_set_up_with_buttons(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "prepayment_invoice", "notify_responsible",
                   {"text": "💶 Send the prepayment invoice for {{ item.title }}"},
                   title="Invoice")
    question = await say(tg, ada, "/triggers new")
    assert question.rendered == "New trigger: for which type? (/cancel to stop)"
    assert "Deal" in question.button_texts
    assert (await choose(tg, ada, "Deal")).startswith("The trigger moves an item into a stage")
    assert await choose(tg, ada, "Prepayment invoice") == \
        "An item moves into “Prepayment invoice” when …"
    events = tg.messages_to(ADMIN_ID)[-1].button_texts
    assert events == ["… a field changes", "… someone else becomes responsible",
                      "… the client writes", "… an activity is marked done",
                      "… its webhook URL is called"]
    await choose(tg, ada, "… a field changes")
    assert tg.messages_to(ADMIN_ID)[-1].button_texts == ["amount", "title", "currency",
                                                         "probability"]
    value_question = await choose(tg, ada, "amount")
    assert value_question.startswith("Should any change of “amount” count")
    condition_question = await say(tg, ada, "5.000")
    assert condition_question.rendered.startswith("Only for some items? Type a condition")
    await choose(tg, ada, "No condition: always")
    added = await choose(tg, ada, "No, only forward")
    assert added == ("Trigger added:\n#1 Deal · General → “Prepayment invoice” when "
                     "“amount” changes to “5,000”")

    await say(tg, ada, "/new deal Relaunch; 1.000 EUR")
    since = len(tg.sent)
    await say(tg, ada, "/edit 1 amount 3000")
    assert await stage_code(crm, 1) == "new"  # another value: nothing happens
    assert not [m for m in tg.sent[since:] if "prepayment" in m.rendered]
    since = len(tg.sent)
    await say(tg, ada, "/edit 1 amount 5000")
    told = await tg.wait_for_message(ADMIN_ID, lambda m: "prepayment" in m.rendered,
                                     since=since)
    assert told.rendered == "💶 Send the prepayment invoice for Relaunch"
    assert await stage_code(crm, 1) == "prepayment_invoice"


async def test_a_new_responsible_moves_the_deal_unless_the_condition_is_false(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    bob = await member(tg, ada, 2002, Role.SALES, name="Bob")
    await add_rule(crm, ADMIN_ID, "in_progress", "notify_responsible",
                   {"text": "🚀 {{ item.title }} is yours now"}, title="Yours")
    await say(tg, ada, "/triggers new")
    await choose(tg, ada, "Deal")
    await choose(tg, ada, "In progress")
    question = await choose(tg, ada, "… someone else becomes responsible")
    assert question.startswith("Only for some items? Type a condition")
    refused = await say(tg, ada, "betrag >")
    assert "Please try again, or choose “No condition”." in refused.rendered
    await say(tg, ada, "betrag > 10000")
    added = await choose(tg, ada, "Yes, also back")
    assert added == ("Trigger added:\n#1 Deal · General → “In progress” when someone else "
                     "becomes responsible and only if amount > 10000 "
                     "(also to an earlier stage)")

    await say(tg, ada, "/new deal Small; 500 EUR")
    await say(tg, ada, "/new deal Big; 15.000 EUR")
    since = len(tg.sent)
    await say(tg, ada, "/assign 1 Bob")  # the condition is false: the trigger does nothing
    assert await stage_code(crm, 1) == "new"
    await say(tg, ada, "/assign 2 Bob")
    yours = await tg.wait_for_message(bob.id, lambda m: "yours now" in m.rendered, since=since)
    assert yours.rendered == "🚀 Big is yours now"
    assert await stage_code(crm, 2) == "in_progress"
    assert await stage_code(crm, 1) == "new"
    assert not [m for m in tg.sent[since:] if "Small is yours" in m.rendered]

    listing = await say(tg, ada, "/triggers")
    assert "A trigger with a condition does nothing when the condition is false" \
        in listing.rendered


async def test_triggers_typed_with_a_field_a_value_and_a_condition(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    added = await say(tg, ada, "/triggers add deal won field custom.region = Nord "
                               "if currency = EUR")
    assert added.rendered == ("Trigger added:\n#1 Deal · General → “Won” when “custom.region” "
                              "changes to “Nord” and only if currency = EUR")
    again = await say(tg, ada, "/triggers add deal won responsible wenn betrag > 5")
    assert again.rendered.endswith("when someone else becomes responsible and only if "
                                   "amount > 5")
    await say(tg, ada, "/new deal Relaunch; 100 USD")
    await say(tg, ada, "/edit 1 custom.region Nord")
    assert await stage_code(crm, 1) == "new"  # USD: the condition is false
    await say(tg, ada, "/edit 1 currency EUR")
    await say(tg, ada, "/edit 1 custom.region Süd")
    assert await stage_code(crm, 1) == "new"  # another value
    await say(tg, ada, "/edit 1 custom.region nord")
    assert await stage_code(crm, 1) == "won"


async def test_a_rules_change_of_a_field_fires_the_trigger_too(
        tg: FakeTelegram, crm: CrmBot) -> None:
    """A field changed by automation counts like one changed by hand: the rule that changed
    it is done, and the new stage's rules run."""
    ada = await admin(tg)
    await add_rule(crm, ADMIN_ID, "new", "change_field", {"field": "custom.region",
                                                           "value": "Nord"}, title="Region")
    await add_rule(crm, ADMIN_ID, "won", "notify_responsible",
                   {"text": "🏆 {{ item.title }} from {{ item.custom.region }}"}, title="Won")
    await say(tg, ada, "/triggers add deal won field custom.region")
    since = len(tg.sent)
    await say(tg, ada, "/new deal Relaunch")
    told = await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered.startswith("🏆"),
                                     since=since)
    card = await tg.wait_for_message(ADMIN_ID, lambda m: "Created." in m.rendered, since=since)
    assert "▶️ 🏆 Won" in card.rendered  # shown as the rules due at once left it
    assert told.rendered == "🏆 Relaunch from Nord"
    assert await stage_code(crm, 1) == "won"
    status = await say(tg, ada, "/status 1")
    assert "Region — executed" in status.rendered, status.rendered


async def test_a_german_admin_sets_up_a_trigger_in_german(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    question = await say(tg, ada, "/triggers new")
    assert question.rendered == "Neuer Trigger: für welchen Typ? (/cancel bricht ab)"
    await choose(tg, ada, "Auftrag")
    assert await choose(tg, ada, "Gewonnen") == "Ein Element kommt nach „Gewonnen“, wenn …"
    assert tg.messages_to(ADMIN_ID)[-1].button_texts == [
        "… sich ein Feld ändert", "… jemand anderes verantwortlich wird",
        "… der Kunde schreibt", "… eine Aktivität erledigt wird",
        "… seine Webhook-URL aufgerufen wird"]
    await choose(tg, ada, "… sich ein Feld ändert")
    assert tg.messages_to(ADMIN_ID)[-1].button_texts == ["Betrag", "Titel", "Währung",
                                                         "Wahrscheinlichkeit"]
    await choose(tg, ada, "Betrag")
    await choose(tg, ada, "Jede Änderung")
    await say(tg, ada, "währung ist EUR und kontaktname ist nicht leer")
    added = await choose(tg, ada, "Nein, nur vorwärts")
    assert added == ("Trigger hinzugefügt:\n#1 Auftrag · Allgemein → „Gewonnen“, wenn sich "
                     "„Betrag“ ändert und nur, wenn Währung ist EUR und Kontaktname ist "
                     "nicht leer")
