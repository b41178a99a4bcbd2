"""Client files (issue 12): photos, voice notes, documents and shared contacts a client sends
are kept on the item's conversation by file_id, sent on to the responsible person through
the outbox, listed by /files and sent again from there; a shared contact fills the phone."""

from __future__ import annotations

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role
from crm.storage.repos.client_files import ClientFileRepo
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.mode_steps import ADMIN, items_of
from tests.journeys.steps import admin, member, press, press_for_message, say

CLIENT_ID = 3001
BOB = 2001


async def sent_by(tg: FakeTelegram, client: FakeUser, send: object,
                  staff_ids: tuple[int, ...] = (ADMIN_ID,)) -> tuple[SentMessage | None,
                                                                      list[SentMessage]]:
    """The file (or message) each staff member got, and the client's acknowledgement if
    they got one (they are thanked once per conversation)."""
    since = len(tg.sent)
    assert callable(send)
    send()
    told = [await tg.wait_for_message(uid, lambda m: "📩" in m.rendered, since=since)
            for uid in staff_ids]
    await tg.wait_until_idle()
    acks = [m for m in tg.sent[since:] if m.chat_id == client.id]
    return (acks[0] if acks else None), told


async def contact_phone(crm: CrmBot, item_id: int) -> str | None:
    async with crm.services.uow(write=False) as uow:
        item = await uow.items.get(item_id, with_products=False)
        assert item is not None and item.contact_id is not None
        contact = await uow.clients.get_contact(item.contact_id)
        assert contact is not None
        return contact.phone


async def test_a_clients_photo_voice_document_and_contact_are_kept_forwarded_and_listed(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await member(tg, ada, BOB, Role.SALES)
    carl = tg.user(CLIENT_ID, "Carl", "Client")

    ack, told = await sent_by(tg, carl, lambda: carl.send_photo(b"\x89PNG", "Our kitchen"),
                              (ADMIN_ID, BOB))
    assert ack is not None
    assert ack.rendered == "Thank you for your message! Our team will get back to you soon."
    deal = (await items_of(crm, "deal"))[0]
    assert deal.title == "Carl Client: Our kitchen"
    photo_id = tg.state.sent[-1].file_id
    for note in told:  # nobody is responsible yet: everyone gets the photo itself
        assert note.kind == "photo"
        assert note.rendered.startswith(f"📩 New inquiry from Carl Client · Deal #{deal.id}")
        assert "📷 Photo — Our kitchen" in note.rendered
        assert note.button_texts == [f"Open #{deal.id}", "💬 Conversation", "🙋 Take it",
                                     "✏️ Rename"]
    async with crm.services.uow(write=False) as uow:
        kept = await uow.extension(ClientFileRepo).for_item(deal.id, 10)
    client_photo = next(m for m in tg.state.messages.values()
                        if isinstance(m, dict) and m.get("photo"))
    assert [(f.kind, f.file_id, f.caption) for f in kept] == [
        ("photo", client_photo["photo"][-1]["file_id"], "Our kitchen")]
    assert told[0].file_id == kept[0].file_id and photo_id is not None

    answer = await say(tg, ada, f"/assign {deal.id} me")
    assert "Ada" in answer.rendered
    since = len(tg.sent)
    _ack, (voice,) = await sent_by(tg, carl, lambda: carl.send_voice())
    assert voice.kind == "voice" and voice.rendered.startswith("📩 New message from Carl")
    assert "🎤 Voice message" in voice.rendered
    _ack, (doc,) = await sent_by(tg, carl, lambda: carl.send_document(
        "offer.pdf", b"%PDF-1.4 " + b"x" * 2000, "Please check"))
    assert doc.kind == "document" and "📄 File offer.pdf (2 KB) — Please check" in doc.rendered
    assert not [m for m in tg.sent[since:] if m.chat_id == BOB]  # only the responsible

    since = len(tg.sent)
    ada.reply_to(doc, "Thanks, we will look at it.")  # a reply to the file answers the client
    done = await tg.wait_for_message(ADMIN_ID, since=since)
    assert done.rendered.startswith("✉️ On its way to the client")
    assert (await tg.wait_for_message(CLIENT_ID, since=since)).rendered == \
        "Thanks, we will look at it."

    _ack, (shared,) = await sent_by(tg, carl, lambda: carl.send_contact(
        "491701234567", "Carl", "Client", own=True))
    assert shared.kind == "message"
    assert "📇 Contact: Carl Client +491701234567" in shared.rendered
    assert "☎️ Phone number +491701234567 saved for Carl Client." in shared.rendered
    assert await contact_phone(crm, deal.id) == "+491701234567"

    listing = await say(tg, ada, f"/files {deal.id}")
    assert listing.rendered.splitlines()[0] == \
        f"Files of #{deal.id} — a button sends one to you again"
    lines = listing.rendered.splitlines()[1:]
    assert [line.split(" · ", 1)[1] for line in lines] == [
        "📷 Photo — Our kitchen", "🎤 Voice message",
        "📄 File offer.pdf (2 KB) — Please check", "📇 Contact: Carl Client +491701234567"]
    assert listing.button_texts == ["📷 1", "🎤 2", "📄 3"]  # a contact is no file to send

    again = await press_for_message(tg, ada, listing, "🎤 2")
    assert again.kind == "voice" and again.file_id == voice.file_id
    assert again.rendered == f"#{deal.id} · 🎤 Voice message"

    conversation = await press_for_message(tg, ada, voice, "💬 Conversation")
    rendered = conversation.rendered
    for line in ("👤 Client: 📷 Photo — Our kitchen", "👤 Client: 🎤 Voice message",
                 "💬 Ada Admin: Thanks, we will look at it.",
                 "👤 Client: 📇 Contact: Carl Client +491701234567"):
        assert line in rendered, rendered


async def test_a_shared_number_that_differs_lets_staff_choose(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    _ack, _told = await sent_by(tg, carl, lambda: carl.send("Hello"))
    deal = (await items_of(crm, "deal"))[0]
    await say(tg, ada, f"/edit {deal.id} phone +49 30 1234567")
    assert await contact_phone(crm, deal.id) == "+49301234567"

    _ack, (told,) = await sent_by(tg, carl, lambda: carl.send_contact(
        "+49 170 7654321", "Carl", own=True))
    assert ("☎️ Carl Client shared +491707654321, but +49301234567 is kept. Which one is "
            "right?") in told.rendered
    assert await contact_phone(crm, deal.id) == "+49301234567"  # nothing changed yet
    assert told.button_texts[-2:] == ["Use +491707654321", "Keep +49301234567"]
    since = len(tg.sent)
    await press(tg, ada, told, "Use +491707654321")
    done = await tg.wait_for_message(ADMIN_ID, since=since)
    assert done.rendered == "☎️ The phone number of Carl Client is +491707654321 now."
    assert await contact_phone(crm, deal.id) == "+491707654321"

    _ack, (other,) = await sent_by(tg, carl, lambda: carl.send_contact(
        "+43 660 1112223", "Dora", "Friend", user_id=4242))
    assert "someone else's contact" in other.rendered
    assert await contact_phone(crm, deal.id) == "+491707654321"
    since = len(tg.sent)
    await press(tg, ada, told, "Keep +49301234567")
    assert (await tg.wait_for_message(ADMIN_ID, since=since)).rendered == \
        "☎️ The phone number stays as it is."


async def test_files_usage_an_empty_list_and_an_item_one_may_not_see(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    bob = await member(tg, ada, BOB, Role.SALES)
    assert (await say(tg, ada, "/files")).rendered.startswith("Usage: /files <number>")
    assert (await say(tg, ada, "/files abc")).rendered.startswith("Usage: /files")
    await say(tg, ada, "/new deal Chairs")
    deal = (await items_of(crm, "deal"))[0]
    empty = await say(tg, ada, f"/files {deal.id}")
    assert empty.rendered.startswith(f"No files on #{deal.id} yet")
    refused = await say(tg, bob, f"/files {deal.id}")
    assert "Files of" not in refused.rendered and "No files" not in refused.rendered
    missing = await say(tg, ada, "/files 999")
    assert "999" in missing.rendered


async def test_a_failed_file_send_is_retried_by_the_outbox(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    await admin(tg)
    carl = tg.user(CLIENT_ID, "Carl", "Client")
    tg.fail_next("sendPhoto", 502, description="Bad Gateway", chat_id=ADMIN_ID)
    calls = len(tg.calls)
    carl.send_photo(b"\x89PNG")
    await tg.wait_for_call("sendPhoto", lambda c: c.chat_id == ADMIN_ID and not c.ok,
                           since=calls)
    await crm.automation.outbox.drain()
    clock.advance(seconds=5)
    crm.automation.outbox.wake()
    photo = await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo")
    assert photo.rendered.startswith("📩 New inquiry from Carl Client")


async def test_german_files_notification_and_list(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/language de")
    carla = tg.user(CLIENT_ID, "Carla", "Kundin", language_code="de")
    ack, (told,) = await sent_by(tg, carla, lambda: carla.send_voice())
    assert ack is not None
    assert ack.rendered == "Danke für Ihre Nachricht! Unser Team meldet sich bald bei Ihnen."
    deal = (await items_of(crm, "deal"))[0]
    assert told.rendered.startswith(f"📩 Neue Anfrage von Carla Kundin · Auftrag #{deal.id}")
    assert "🎤 Sprachnachricht" in told.rendered
    _ack, (shared,) = await sent_by(tg, carla, lambda: carla.send_contact(
        "4915112345678", "Carla", own=True))
    assert "☎️ Telefonnummer +4915112345678 für Carla Kundin gespeichert." in shared.rendered
    listing = await say(tg, ada, f"/files {deal.id}")
    assert listing.rendered.splitlines()[0] == \
        f"Dateien von #{deal.id} – eine Schaltfläche schickt Ihnen eine davon noch einmal"
    assert "🎤 Sprachnachricht" in listing.rendered
    assert "📇 Kontakt: Carla +4915112345678" in listing.rendered
    assert ADMIN.user_id == ADMIN_ID
