"""Working an inquiry (issue 12): 🙋 Take it (the others hear who took it, a later presser
who has it), the first reply makes the replier responsible, a short title that ✏️ Rename
changes, the client thanked once per conversation, phone numbers of the message offered
for the contact; only a reply to a notification or a conversation answers the client."""

from __future__ import annotations

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role, TimelineKind
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.mode_steps import ADMIN, items_of
from tests.journeys.steps import admin, member, press, press_for_message, say
from tests.journeys.test_mode_inquiries import CLIENT_ID, follow_up, inquiry

SAM, LEA = 2001, 2002


async def test_take_it_makes_the_presser_responsible_and_tells_the_others(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, SAM, Role.SALES)
    lea = await member(tg, ada, LEA, Role.SALES, name="Lea")
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    _ack, told = await inquiry(tg, carl, "Do you have 40 chairs?", (ADMIN_ID, SAM, LEA))
    deal = (await items_of(crm, "deal"))[0]
    assert "🙋 Take it" in told[1].button_texts

    since = len(tg.sent)
    toast = await press(tg, sam, told[1], "🙋 Take it")
    assert toast.text == f"🙋 #{deal.id} is yours now."
    assert (await items_of(crm, "deal"))[0].responsible_id == SAM
    for uid in (ADMIN_ID, LEA):
        heard = await tg.wait_for_message(uid, lambda m: "took" in m.rendered, since=since)
        assert heard.rendered == f"🙋 Sam Seller took #{deal.id}."
    await tg.wait_until_idle()
    assert not any(m.chat_id == SAM and "took" in m.rendered for m in tg.sent[since:])
    sams = next(m for m in tg.messages_to(SAM) if m.message_id == told[1].message_id)
    assert "🙋 Take it" not in sams.button_texts  # the button is gone from Sam's notification
    assert f"Open #{deal.id}" in sams.button_texts

    late = await press(tg, lea, told[2], "🙋 Take it")
    assert late.text == f"Sam Seller has taken #{deal.id} already."
    assert (await items_of(crm, "deal"))[0].responsible_id == SAM


async def test_the_first_reply_makes_the_replier_responsible(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await member(tg, ada, SAM, Role.SALES)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    await inquiry(tg, carl, "Hello", (ADMIN_ID, SAM))
    deal = (await items_of(crm, "deal"))[0]
    assert deal.responsible_id is None
    since = len(tg.sent)
    await say(tg, ada, f"/reply {deal.id} Hello Carl, how can we help?")
    heard = await tg.wait_for_message(SAM, lambda m: "🙋" in m.rendered, since=since)
    assert heard.rendered == (f"🙋 Ada Admin answered the client of #{deal.id} and is "
                              "responsible now.")
    assert (await items_of(crm, "deal"))[0].responsible_id == ADMIN_ID
    await say(tg, ada, f"/assign {deal.id} Sam")  # a later reply changes nothing
    await say(tg, ada, f"/reply {deal.id} Sam takes over from here.")
    assert (await items_of(crm, "deal"))[0].responsible_id == SAM


async def test_a_new_inquiry_gets_a_short_title_that_staff_can_rename(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    text = ("Hello, we are opening a new office in Potsdam next month and need forty "
            "chairs, ten desks and a meeting table. Can you send an offer?")
    _ack, told = await inquiry(tg, carl, text)
    deal = (await items_of(crm, "deal"))[0]
    assert deal.title == "Carl Client: Hello, we are opening a new office in…"
    assert text in told[0].rendered  # the whole message in the notification
    entries = await crm.services.inquiries.timeline(ADMIN, deal.id)
    assert [e.text for e in entries] == [text]  # and on the conversation

    prompt = await press_for_message(tg, ada, told[0], "✏️ Rename")
    assert prompt.rendered == (f"✏️ New title for #{deal.id} “{deal.title}”? "
                               "(/cancel keeps it)")
    done = await say(tg, ada, "Office Potsdam: chairs and desks")
    assert done.rendered == f"✏️ #{deal.id} is now called “Office Potsdam: chairs and desks”."
    assert (await items_of(crm, "deal"))[0].title == "Office Potsdam: chairs and desks"
    await press_for_message(tg, ada, told[0], "✏️ Rename")
    too_long = await say(tg, ada, "x" * 300)
    assert "title" in too_long.rendered.lower()  # refused, said why, nothing changed
    assert (await items_of(crm, "deal"))[0].title == "Office Potsdam: chairs and desks"
    assert (await say(tg, ada, "/cancel")).rendered != ""


async def test_the_client_is_thanked_once_per_conversation(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    ack, _told = await inquiry(tg, carl, "Do you deliver to Potsdam?")
    assert ack.rendered == "Thank you for your message! Our team will get back to you soon."
    await follow_up(tg, carl, "And on Saturdays?")  # no second thank-you
    await follow_up(tg, carl, "Around noon would be best.")
    clock.advance(hours=25)  # a day without a word: a new conversation
    again, _told = await inquiry(tg, carl, "Hello again, any news?")
    assert again.rendered == ("Thank you! We have added your message to your inquiry and "
                              "will get back to you soon.")
    assert len(tg.messages_to(CLIENT_ID)) == 2
    assert len(await items_of(crm, "deal")) == 1


async def test_a_phone_number_in_the_message_is_offered_and_saved(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    _ack, told = await inquiry(tg, carl, "Bitte ruf mich an: 0171 2345678")
    deal = (await items_of(crm, "deal"))[0]
    assert "📞 Save +49 171 2345678 as phone" in told[0].button_texts
    toast = await press(tg, ada, told[0], "📞 Save +49 171 2345678 as phone")
    assert toast.text == "📞 +49 171 2345678 saved as the phone of Carl Client."
    contact = await crm.services.clients.contact(deal.contact_id or 0)
    assert contact.phone == "+491712345678"
    notification = next(m for m in tg.messages_to(ADMIN_ID)
                        if m.message_id == told[0].message_id)
    assert not any(t.startswith("📞") for t in notification.button_texts)
    told = await follow_up(tg, carl, "Or +49 171 2345678 after six")  # kept already
    assert not any(t.startswith("📞") for t in told[0].button_texts)
    told = await follow_up(tg, carl, "Office: +49 30 1234567")
    assert told[0].button_texts == [f"Open #{deal.id}", "💬 Conversation", "🙋 Take it",
                                    "📞 Save +49 30 1234567 as phone"]  # renamed: a new one


async def test_only_replies_to_a_notification_or_a_conversation_reach_the_client(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    await inquiry(tg, carl, "Do you ship to Austria?")
    deal = (await items_of(crm, "deal"))[0]
    listing = await say(tg, ada, "/items")
    assert f"Open #{deal.id}" in " ".join(listing.button_texts) or listing.button_texts
    since = len(tg.sent)
    ada.reply_to(listing, "internal: check the stock first")
    await tg.wait_for_message(ADMIN_ID, since=since)  # answered, but not sent to Carl
    await tg.wait_until_idle()
    assert [m for m in tg.sent[since:] if m.chat_id == CLIENT_ID] == []
    entries = await crm.services.inquiries.timeline(ADMIN, deal.id)
    assert [e.kind for e in entries] == [TimelineKind.CLIENT_MESSAGE]

    card = await say(tg, ada, f"/item {deal.id}")
    talk = await press_for_message(tg, ada, card, "💬 Conversation")
    assert talk.button_texts == ["🔄 Update"]
    since = len(tg.sent)
    ada.reply_to(talk, "Yes, in three days.")
    answer = await tg.wait_for_message(CLIENT_ID, since=since)
    assert answer.rendered == "Yes, in three days."


async def test_working_an_inquiry_in_german(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, SAM, Role.SALES, language_code="de")
    await say(tg, sam, "/language de")
    lea = await member(tg, ada, LEA, Role.SALES, name="Lea", language_code="de")
    await say(tg, lea, "/language de")
    carla = tg.user(CLIENT_ID, "Carla", "Kundin", language_code="de")
    _ack, told = await inquiry(tg, carla, "Ruf mich bitte an: +49 30 1234567",
                               (ADMIN_ID, SAM, LEA))
    deal = (await items_of(crm, "deal"))[0]
    assert told[1].button_texts == [f"#{deal.id} öffnen", "💬 Gesprächsverlauf",
                                    "🙋 Übernehmen", "✏️ Umbenennen",
                                    "📞 +49 30 1234567 als Telefon speichern"]
    since = len(tg.sent)
    toast = await press(tg, sam, told[1], "🙋 Übernehmen")
    assert toast.text == f"🙋 #{deal.id} gehört jetzt Ihnen."
    heard = await tg.wait_for_message(LEA, lambda m: "🙋" in m.rendered, since=since)
    assert heard.rendered == f"🙋 Sam Seller hat #{deal.id} übernommen."
    late = await press(tg, lea, told[2], "🙋 Übernehmen")
    assert late.text == f"Sam Seller hat #{deal.id} schon übernommen."
    saved = await press(tg, sam, told[1], "📞 +49 30 1234567 als Telefon speichern")
    assert saved.text == "📞 +49 30 1234567 ist jetzt die Telefonnummer von Carla Kundin."
    prompt = await press_for_message(tg, sam, told[1], "✏️ Umbenennen")
    assert prompt.rendered.startswith(f"✏️ Neuer Titel für #{deal.id} „Carla Kundin: Ruf")
    done = await say(tg, sam, "Rückruf Carla")
    assert done.rendered == f"✏️ #{deal.id} heißt jetzt „Rückruf Carla“."
