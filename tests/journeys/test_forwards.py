"""Forward to create (issue 12): a salesperson forwards a client's messages to the bot and
makes a deal (or, in classic mode, a lead) of them with the sender as the contact, or adds
them to an item; several forwards at once make one offer; a hidden sender is asked for."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Item, Role, TimelineKind
from crm.storage.repos.client_files import ClientFileRepo
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.mode_steps import ADMIN, items_of
from tests.journeys.steps import admin, member, press, say

ANNA_ID = 4001
SAM = 2001
LONG = "Hi, we need 20 office chairs by March, can you send us an offer please?"


async def forward(tg: FakeTelegram, by: FakeUser, *pieces: dict[str, object]) -> SentMessage:
    """`by` forwards the pieces at once; returns the bot's offer (or question)."""
    since = len(tg.sent)
    for piece in pieces:
        by.forward(**piece)  # type: ignore[arg-type]
    return await tg.wait_for_message(by.id, since=since, timeout=10)


async def choose(tg: FakeTelegram, user: FakeUser, message: SentMessage,
                 button: str) -> SentMessage:
    """Presses a button of the offer; returns the offer as then edited (or a new message)."""
    since, edits = len(tg.sent), len(message.edits)
    await press(tg, user, message, button)
    if len(message.edits) > edits:
        return message
    return await tg.wait_for_message(user.id, since=since)


async def item(crm: CrmBot, item_id: int) -> Item:
    async with crm.services.uow(write=False) as uow:
        found = await uow.items.get(item_id, with_products=False)
        assert found is not None
        return found


async def notes_of(crm: CrmBot, item_id: int) -> list[str]:
    return [e.text for e in await crm.services.inquiries.timeline(ADMIN, item_id)
            if e.kind is TimelineKind.NOTE]


async def test_a_forwarded_message_becomes_a_deal_with_the_sender_as_contact(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    anna = tg.user(ANNA_ID, "Anna", "Schmidt", username="anna_s")
    offer = await forward(tg, ada, {"text": LONG, "sender": anna})
    assert offer.rendered.splitlines()[:2] == [
        "↪️ 1 forwarded message from Anna Schmidt",
        "👤 A new contact Anna Schmidt will be made."]
    assert LONG in offer.rendered
    assert offer.rendered.endswith("Make a deal of it, or add it to an item?")
    assert offer.button_texts == ["➕ New deal", "📎 Add to another item", "✖️ Cancel"]

    done = await choose(tg, ada, offer, "➕ New deal")
    deal = (await items_of(crm, "deal"))[0]
    assert deal.title == "Anna Schmidt: Hi, we need 20 office chairs…"
    assert done.rendered == (f"✅ Deal #{deal.id} “{deal.title}” made from the forwarded "
                             "messages; their text is its first note.")
    assert done.button_texts == [f"Open #{deal.id}"]
    assert deal.responsible_id == ADMIN_ID
    assert await notes_of(crm, deal.id) == [LONG]
    async with crm.services.uow(write=False) as uow:
        contact = await uow.clients.get_contact(deal.contact_id or 0)
    assert contact is not None and contact.name == "Anna Schmidt"
    assert contact.tg_chat_id == ANNA_ID and contact.tg_username == "anna_s"

    # Anna writes to the bot herself later: it joins her deal (her chat is her contact's)
    since = len(tg.sent)
    anna.send("Any news about the chairs?")
    await tg.wait_for_message(ADMIN_ID, lambda m: "📩" in m.rendered, since=since)
    assert [i.id for i in await items_of(crm, "deal")] == [deal.id]

    # the next forward from Anna finds her contact and offers her open deal
    again = await forward(tg, ada, {"text": "And 4 desks too.", "sender": anna})
    assert "👤 Contact: Anna Schmidt (already in the CRM)" in again.rendered
    assert again.button_texts == ["➕ New deal",
                                  f"📎 Add to #{deal.id} Anna Schmidt: Hi, we need 20 …",
                                  "📎 Add to another item", "✖️ Cancel"]
    kept = await choose(tg, ada, again, f"#{deal.id}")
    assert kept.rendered == f"✅ The forwarded messages are kept on #{deal.id} “{deal.title}”."
    assert await notes_of(crm, deal.id) == [LONG, "↪️ Anna Schmidt:\nAnd 4 desks too."]


async def test_two_forwards_at_once_make_one_offer_and_a_lead_in_classic_mode(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await crm.services.mode.switch_to_classic(ADMIN)
    anna = tg.user(ANNA_ID, "Anna", "Schmidt")
    since = len(tg.sent)
    offer = await forward(tg, ada, {"text": "Hello!", "sender": anna},
                          {"photo": b"\x89PNG", "caption": "This chair", "sender": anna})
    await tg.wait_until_idle()
    assert [m for m in tg.sent[since:] if m.chat_id == ADMIN_ID] == [offer]  # one offer
    assert offer.rendered.startswith("↪️ 2 forwarded messages from Anna Schmidt")
    assert "📎 1 file" in offer.rendered
    assert offer.rendered.endswith("Make a new item of it, or add it to an item?")
    assert offer.button_texts[:2] == ["➕ New deal", "➕ New lead"]

    await choose(tg, ada, offer, "➕ New lead")
    lead = (await items_of(crm, "lead"))[0]
    assert lead.title == "Anna Schmidt: Hello! This chair"
    assert lead.source == "telegram"
    assert await notes_of(crm, lead.id) == ["Hello!\n\nThis chair"]
    async with crm.services.uow(write=False) as uow:
        files = await uow.extension(ClientFileRepo).for_item(lead.id, 10)
    assert [(f.kind, f.caption, f.forwarded_by) for f in files] == [
        ("photo", "This chair", ADMIN_ID)]
    listing = await say(tg, ada, f"/files {lead.id}")
    assert "📷 Photo — This chair" in listing.rendered
    assert listing.button_texts == ["📷 1"]


async def test_a_hidden_sender_is_asked_for_and_messages_go_to_an_item_by_number(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    question = await forward(tg, ada, {"text": "Call me back please", "hidden_name": "Max M."})
    assert question.rendered == ("↪️ The sender hides their Telegram account. What is their "
                                 "name? Type it, or /cancel.")
    assert question.button_texts == ["Use “Max M.”"]
    offer = await say(tg, ada, "Max Mustermann")
    assert offer.rendered.startswith("↪️ 1 forwarded message from Max Mustermann")
    await choose(tg, ada, offer, "➕ New deal")
    deal = (await items_of(crm, "deal"))[0]
    assert deal.title == "Max Mustermann: Call me back please"

    await say(tg, ada, "/new deal Office move")
    other = (await items_of(crm, "deal"))[-1]
    offer = await forward(tg, ada, {"text": "Moving on 3 May", "hidden_name": "Max M."})
    named = await choose(tg, ada, offer, "Use “Max M.”")
    assert named.rendered.startswith("↪️ 1 forwarded message from Max M.")
    asked = await choose(tg, ada, named, "📎 Add to another item")
    assert asked.rendered == "Which item shall the messages go to? Type its number, or /cancel."
    wrong = await say(tg, ada, "the big one")
    assert wrong.rendered == "That is not an item number. Type the number, e.g. 12, or /cancel."
    kept = await say(tg, ada, f"#{other.id}")
    assert kept.rendered.startswith(f"✅ The forwarded messages are kept on #{other.id}")
    assert await notes_of(crm, other.id) == ["↪️ Max M.:\nMoving on 3 May"]


async def test_an_offer_cancelled_or_pressed_again_changes_nothing(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, SAM, Role.SALES)
    anna = tg.user(ANNA_ID, "Anna", "Schmidt")
    offer = await forward(tg, ada, {"text": "Hello", "sender": anna})
    new_deal = offer.callback_datas[0]
    cancelled = await choose(tg, ada, offer, "✖️ Cancel")
    assert cancelled.rendered == "Nothing was made of the forwarded messages."
    assert await items_of(crm, "deal") == []
    toast = await press(tg, ada, offer, data=new_deal, strict=False)
    assert toast.text == "This offer is no longer open. Forward the messages again."
    assert await items_of(crm, "deal") == []

    await say(tg, ada, "/new deal Secret")
    secret = (await items_of(crm, "deal"))[0]
    await say(tg, ada, f"/assign {secret.id} me")
    offer = await forward(tg, sam, {"text": "Hi", "sender": anna})
    await choose(tg, sam, offer, "📎 Add to another item")
    refused = await say(tg, sam, str(secret.id))
    assert "Hi" not in await notes_of(crm, secret.id)
    assert refused.rendered and not refused.rendered.startswith("✅")


async def test_german_forward_offer(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/language de")
    anna = tg.user(ANNA_ID, "Anna", "Schmidt")
    offer = await forward(tg, ada, {"text": "Guten Tag", "sender": anna},
                          {"text": "Wir brauchen Stühle", "sender": anna})
    assert offer.rendered.splitlines()[:2] == [
        "↪️ 2 weitergeleitete Nachrichten von Anna Schmidt",
        "👤 Der Kontakt Anna Schmidt wird neu angelegt."]
    assert offer.rendered.endswith("Daraus einen Auftrag machen oder zu einem Element "
                                   "hinzufügen?")
    assert offer.button_texts == ["➕ Neuer Auftrag", "📎 Zu einem anderen Element",
                                  "✖️ Abbrechen"]
    done = await choose(tg, ada, offer, "➕ Neuer Auftrag")
    deal = (await items_of(crm, "deal"))[0]
    assert done.rendered == (f"✅ Auftrag #{deal.id} „{deal.title}“ aus den weitergeleiteten "
                             "Nachrichten angelegt; ihr Text ist seine erste Notiz.")
    question = await forward(tg, ada, {"text": "Hallo", "hidden_name": "M."})
    assert question.rendered.startswith("↪️ Der Absender verbirgt sein Telegram-Konto.")
    assert question.button_texts == ["„M.“ nehmen"]
