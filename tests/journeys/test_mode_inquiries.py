"""Client inquiries: what a client writes becomes a deal (simple mode) or a lead (classic),
staff are notified with a button, and their answers reach the client — by /reply and by
replying to the notification — all kept on the item's timeline."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Role, TimelineKind
from crm.services.team_chats import TeamChatService
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.mode_steps import ADMIN, items_of, stage_code
from tests.journeys.steps import admin, member, press, press_for_message, say

CLIENT_ID = 3001


async def inquiry(tg: FakeTelegram, client: FakeUser, text: str,
                  staff_ids: tuple[int, ...] = (ADMIN_ID,)) -> tuple[SentMessage,
                                                                      list[SentMessage]]:
    """The client writes; returns their acknowledgement and each staff notification."""
    since = len(tg.sent)
    client.send(text)
    ack = await tg.wait_for_message(client.id, since=since)
    told = [await tg.wait_for_message(uid, lambda m: "📩" in m.rendered, since=since)
            for uid in staff_ids]
    return ack, told


async def follow_up(tg: FakeTelegram, client: FakeUser, text: str,
                    staff_ids: tuple[int, ...] = (ADMIN_ID,)) -> list[SentMessage]:
    """The client writes again within the conversation: staff are told, the client is not
    thanked again (once per conversation); returns each staff notification."""
    since = len(tg.sent)
    client.send(text)
    told = [await tg.wait_for_message(uid, lambda m: "📩" in m.rendered, since=since)
            for uid in staff_ids]
    await tg.wait_until_idle()
    assert [m.rendered for m in tg.sent[since:] if m.chat_id == client.id] == []
    return told


async def test_a_client_in_simple_mode_gets_a_contact_with_a_deal(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await member(tg, ada, 2001, Role.SALES)
    carl = tg.user(CLIENT_ID, "Carl", "Client", username="carl")
    ack, told = await inquiry(tg, carl, "Hello, do you ship to Austria?", (ADMIN_ID, 2001))
    assert ack.rendered == "Thank you for your message! Our team will get back to you soon."
    deal = (await items_of(crm, "deal"))[0]
    for note in told:  # nobody is responsible yet: every team member hears of it
        assert note.rendered.startswith(
            f"📩 New inquiry from Carl Client (@carl) · Deal #{deal.id}")
        assert "Hello, do you ship to Austria?" in note.rendered
        assert note.button_texts == [f"Open #{deal.id}", "💬 Conversation", "🙋 Take it",
                                     "✏️ Rename"]
    assert await stage_code(crm, deal.id) == "new" and deal.source == "telegram"
    contact = await crm.services.clients.contact(deal.contact_id or 0)
    assert (contact.name, contact.tg_chat_id) == ("Carl Client", CLIENT_ID)
    assert await items_of(crm, "lead") == []

    told = await follow_up(tg, carl, "And to Switzerland?")
    assert told[0].rendered.startswith(f"📩 New message from Carl Client (@carl) · Deal #{deal.id}")
    assert len(await items_of(crm, "deal")) == 1
    card = await press_for_message(tg, ada, told[0], f"Open #{deal.id}")
    assert "Contact: Carl Client" in card.rendered
    talk = await press_for_message(tg, ada, card, "💬 Conversation")
    assert "👤 Client: Hello, do you ship to Austria?" in talk.rendered
    assert "👤 Client: And to Switzerland?" in talk.rendered
    assert [m.rendered for m in tg.messages_to(CLIENT_ID)] == [ack.rendered]


async def test_a_client_in_classic_mode_gets_a_lead(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/mode classic")
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    _ack, told = await inquiry(tg, carl, "I need 40 chairs")
    lead = (await items_of(crm, "lead"))[0]
    assert told[0].rendered.startswith(f"📩 New inquiry from Carl Client · Lead #{lead.id}")
    assert (lead.title, lead.source) == ("Carl Client: I need 40 chairs", "telegram")
    assert await stage_code(crm, lead.id) == "new"
    assert await items_of(crm, "deal") == []
    card = await press_for_message(tg, ada, told[0], f"Open #{lead.id}")
    assert "🔀 Convert to deal" in card.button_texts


async def test_staff_answer_by_reply_command_and_by_replying_to_the_notification(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    _ack, told = await inquiry(tg, carl, "Do you ship to Austria?")
    deal_id = (await items_of(crm, "deal"))[0].id
    since = len(tg.sent)
    done = await say(tg, ada, f"/reply {deal_id} Yes, we do.")
    assert done.rendered == f"✉️ On its way to the client and kept on the timeline of #{deal_id}."
    assert (await tg.wait_for_message(CLIENT_ID, since=since)).rendered == "Yes, we do."

    since = len(tg.sent)
    ada.reply_to(told[0], "Delivery takes <3 days.")
    answer = await tg.wait_for_message(CLIENT_ID, since=since)
    assert answer.rendered == "Delivery takes <3 days."
    await tg.wait_for_message(ADMIN_ID, lambda m: "On its way" in m.rendered, since=since)
    entries = await crm.services.inquiries.timeline(ADMIN, deal_id)
    assert [(e.kind, e.text) for e in entries] == [
        (TimelineKind.CLIENT_MESSAGE, "Do you ship to Austria?"),
        (TimelineKind.STAFF_REPLY, "Yes, we do."),
        (TimelineKind.STAFF_REPLY, "Delivery takes <3 days."),
    ]
    talk = await press_for_message(tg, ada, told[0], "💬 Conversation")
    assert "💬 Ada Admin: Yes, we do." in talk.rendered
    assert (await say(tg, ada, "/reply")).rendered.startswith("Usage: /reply <number> <text>")


async def test_only_the_responsible_person_is_told_and_others_may_not_answer(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    lea = await member(tg, ada, 2002, Role.SALES, name="Lea")
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    await inquiry(tg, carl, "Hello", (ADMIN_ID, 2001, 2002))
    deal = (await items_of(crm, "deal"))[0]
    async with crm.services.uow() as uow:  # Sam takes it (through storage: not this feature)
        deal.responsible_id = 2001
        assert await uow.items.save(deal, deal.version)
        await uow.commit()
    since = len(tg.sent)
    await follow_up(tg, carl, "Any news?", (2001,))
    await tg.wait_until_idle()
    assert [m.chat_id for m in tg.sent[since:] if "📩" in m.rendered] == [2001]
    refused = await say(tg, lea, f"/reply {deal.id} I can help!")
    assert refused.rendered == "Sorry, you may not see or change this item."
    assert (await say(tg, sam, f"/reply {deal.id} On its way.")).rendered.startswith("✉️")


async def test_a_reply_to_a_client_who_blocked_the_bot_is_kept_but_reported(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    await inquiry(tg, carl, "Hello")
    deal_id = (await items_of(crm, "deal"))[0].id
    tg.block(CLIENT_ID)
    since = len(tg.sent)
    answer = await say(tg, ada, f"/reply {deal_id} Are you there?")
    assert answer.rendered.startswith("✉️ On its way to the client")
    report = await tg.wait_for_message(ADMIN_ID, lambda m: "did not deliver" in m.rendered,
                                       since=since)
    assert report.rendered == (f"Kept on the timeline of #{deal_id}, but Telegram did not "
                               "deliver it: the client may have blocked the bot.")
    assert [e.text for e in await crm.services.inquiries.timeline(ADMIN, deal_id)] == [
        "Hello", "Are you there?"]
    await say(tg, ada, "/new deal Office chairs")
    other = (await items_of(crm, "deal"))[-1]
    no_chat = await say(tg, ada, f"/reply {other.id} Hi")
    assert no_chat.rendered == (f"Item #{other.id} has no client who wrote to the bot, so "
                                "there is nobody to send a reply to.")


async def test_a_client_is_answered_in_their_language_and_never_sees_crm_data(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carla = tg.user(CLIENT_ID, "Carla", "Kundin", language_code="de")
    ack, told = await inquiry(tg, carla, "Haben Sie Stühle?")
    assert ack.rendered == "Danke für Ihre Nachricht! Unser Team meldet sich bald bei Ihnen."
    assert told[0].rendered.startswith("📩 New inquiry from Carla Kundin")  # Ada reads English
    refused = await say(tg, carla, "/items")
    assert refused.rendered.startswith("Dieser Befehl ist nur für unser Team.")
    toast = await press(tg, carla, told[0], data=told[0].callback_datas[0], strict=False)
    assert toast.text == "Diese Schaltfläche ist für Sie nicht verfügbar."
    since = len(tg.sent)
    carla.send_photo(b"\x89PNG", caption=None)
    # issue 12: a photo is kept on the conversation and reaches staff (it was refused before)
    await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo", since=since)
    await tg.wait_until_idle()
    assert not [m for m in tg.sent[since:]
                if m.chat_id == CLIENT_ID and m.rendered.startswith("Bitte schreiben")]
    texts = [m.rendered for m in tg.messages_to(CLIENT_ID)]
    assert not any("#" in t or "Deal" in t or "Auftrag" in t for t in texts)
    german_ada = await say(tg, ada, "/language de")
    assert "Deutsch" in german_ada.rendered
    told = await follow_up(tg, carla, "Und Tische?")
    assert told[0].rendered.startswith("📩 Neue Nachricht von Carla Kundin · Auftrag #")


async def test_with_nobody_responsible_the_team_chat_is_told_and_may_answer(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    team = tg.group(-1005001, "Sales team")
    await TeamChatService(crm.services.uow, crm.services.clock).joined(team.id, "Sales team",
                                                                        ADMIN)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    since = len(tg.sent)
    carl.send("Do you deliver on Saturdays?")
    note = await tg.wait_for_message(team.id, lambda m: "📩" in m.rendered, since=since)
    assert "Do you deliver on Saturdays?" in note.rendered
    await tg.wait_until_idle()
    assert [m.chat_id for m in tg.sent[since:] if "📩" in m.rendered] == [team.id]
    since = len(tg.sent)
    ada.reply_to(note, "Yes, until noon.")
    assert (await tg.wait_for_message(CLIENT_ID, since=since)).rendered == "Yes, until noon."
