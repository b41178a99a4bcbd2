"""/new as a guided dialog: type → pipeline (when several) → title → amount → contact."""

from __future__ import annotations

from decimal import Decimal

from bot.app import CrmBot
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.steps import admin, all_items, press, say


async def step(tg: FakeTelegram, user: FakeUser, message: SentMessage, button: str) -> None:
    """Presses a dialog button and waits until the dialog has moved on."""
    toast = await press(tg, user, message, button)
    assert toast.text is None, toast


async def test_the_dialog_creates_a_deal_step_by_step(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    question = await say(tg, ada, "/new")
    assert question.rendered == "What would you like to create?"
    assert question.button_texts == ["Deal", "Quote", "Invoice"]  # no leads in simple mode
    await step(tg, ada, question, "Deal")
    assert question.rendered.startswith("Title of the new item?")  # edited in place
    amount_question = await say(tg, ada, "Website relaunch")
    assert amount_question.rendered.startswith("Amount?")
    contact_question = await say(tg, ada, "15.000,50 EUR")
    assert contact_question.rendered.startswith("Contact name?")
    card = await say(tg, ada, "Anna Schmidt")
    assert "Deal #1 · Website relaunch" in card.rendered
    assert "Contact: Anna Schmidt" in card.rendered and "Created." in card.rendered
    [item] = await all_items(crm)
    assert (item.title, item.amount, item.currency) == ("Website relaunch", Decimal("15000.50"),
                                                        "EUR")
    contact = await crm.services.clients.contact(item.contact_id or 0)
    assert contact.name == "Anna Schmidt"


async def test_amount_and_contact_can_be_skipped(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    question = await say(tg, ada, "/new")
    await step(tg, ada, question, "Quote")
    amount_question = await say(tg, ada, "Offer for ACME")
    since = len(tg.sent)
    await step(tg, ada, amount_question, "Skip")
    contact_question = await tg.wait_for_message(ada.id, since=since)
    assert contact_question.rendered.startswith("Contact name?")
    since = len(tg.sent)
    await step(tg, ada, contact_question, "Skip")
    card = await tg.wait_for_message(ada.id, since=since)
    assert "Quote #1 · Offer for ACME" in card.rendered
    [item] = await all_items(crm)
    assert (item.type_code, item.amount, item.contact_id) == ("quote", None, None)


async def test_a_type_with_several_pipelines_asks_which(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    added = await say(tg, ada, "/pipelines add deal Export")
    assert "Pipeline “Export”" in added.rendered
    question = await say(tg, ada, "/new")
    await step(tg, ada, question, "Deal")
    assert question.rendered == "Which pipeline?"
    assert question.button_texts == ["General", "Export"]
    await step(tg, ada, question, "Export")
    await say(tg, ada, "Container to Rotterdam")
    await say(tg, ada, "900")
    card = await say(tg, ada, "Hafen GmbH")
    assert "Pipeline: Export" in card.rendered
    [item] = await all_items(crm)
    export = [p for p in await crm.services.catalog.pipelines("deal") if p.name_en == "Export"]
    assert item.pipeline_id == export[0].id


async def test_cancel_at_any_step_saves_nothing(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    question = await say(tg, ada, "/new")
    assert (await say(tg, ada, "/cancel")).rendered == "Cancelled. Nothing was saved."
    question = await say(tg, ada, "/new")
    await step(tg, ada, question, "Deal")
    assert (await say(tg, ada, "/cancel")).rendered == "Cancelled. Nothing was saved."
    question = await say(tg, ada, "/new")
    await step(tg, ada, question, "Deal")
    await say(tg, ada, "Almost")
    assert (await say(tg, ada, "/cancel")).rendered == "Cancelled. Nothing was saved."
    question = await say(tg, ada, "/new")
    await step(tg, ada, question, "Deal")
    await say(tg, ada, "Almost")
    await say(tg, ada, "100")
    assert (await say(tg, ada, "/cancel")).rendered == "Cancelled. Nothing was saved."
    assert (await say(tg, ada, "/cancel")).rendered == "There is nothing to cancel."
    assert await all_items(crm) == []
    after = await say(tg, ada, "Just chatting")
    assert "I did not understand that" in after.rendered  # the dialog is really over


async def test_wrong_input_is_explained_and_the_step_repeats(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    question = await say(tg, ada, "/new")
    since = len(tg.sent)
    ada.send_photo(b"\xff\xd8 not a title")
    wrong = await tg.wait_for_message(ada.id, since=since)
    assert "Please answer with text or use the buttons" in wrong.rendered
    await step(tg, ada, question, "Deal")
    too_long = await say(tg, ada, "x" * 201)
    assert "too long" in too_long.rendered
    await say(tg, ada, "Fine title")
    nonsense = await say(tg, ada, "lots of money")
    assert "is not an amount I understand" in nonsense.rendered
    assert "Try again, or skip." in nonsense.rendered
    contact_question = await say(tg, ada, "€99")
    assert contact_question.rendered.startswith("Contact name?")
    await say(tg, ada, "Bob")
    [item] = await all_items(crm)
    assert (item.title, item.amount) == ("Fine title", Decimal("99"))
