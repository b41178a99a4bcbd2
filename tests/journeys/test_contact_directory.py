"""Contacts (issue 12): the card shows the contact's phone and e-mail, /edit changes them
(on the item or on the contact), /contacts lists and searches, a contact's card lists its
items, and a new contact like an existing one is offered the existing one first."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Role
from crm.services.items import NewItem
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage
from tests.journeys.steps import (
    admin,
    all_items,
    member,
    press,
    press_for_message,
    say,
    seed,
)


async def step(tg: FakeTelegram, user: FakeUser, message: SentMessage, button: str) -> None:
    toast = await press(tg, user, message, button)
    assert toast.text is None, toast


async def test_the_card_shows_phone_and_e_mail_and_edit_changes_them(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/contact Anna Schmidt; +49 30 123456; anna@example.org; ACME GmbH")
    await say(tg, ada, "/new deal Website; 15.000 EUR")
    card = await say(tg, ada, "/link 1 1")
    assert "Contact: Anna Schmidt\n    ☎️ +4930123456 · ✉️ anna@example.org\n" \
           "Company: ACME GmbH" in card.rendered

    changed = await say(tg, ada, "/edit 1 phone 030 / 987-654")
    assert "☎️ 030987654 · ✉️ anna@example.org" in changed.rendered
    assert "Saved." in changed.rendered
    assert "📝" not in changed.rendered  # a change of the contact is no note
    changed = await say(tg, ada, "/edit 1 E-Mail Anna.Schmidt@ACME.de")
    assert "✉️ Anna.Schmidt@ACME.de" in changed.rendered
    history = await press_for_message(tg, ada, changed, "History")
    assert "☎️ Anna Schmidt: +4930123456 → 030987654" in history.rendered
    assert "✉️ Anna Schmidt: anna@example.org → Anna.Schmidt@ACME.de" in history.rendered

    wrong = await say(tg, ada, "/edit 1 phone call me maybe")
    assert wrong.rendered == ("“call me maybe” is not a phone number I understand: 5 to 15 "
                              "digits, with + for the country code if you like, e.g. "
                              "+49 30 123456 or 030 123456.")
    wrong = await say(tg, ada, "/edit 1 email anna(at)acme")
    assert wrong.rendered == ("“anna(at)acme” is not an e-mail address I understand, e.g. "
                              "anna@example.com.")
    contact = await crm.services.clients.contact(1)
    assert (contact.phone, contact.email) == ("030987654", "Anna.Schmidt@ACME.de")

    await say(tg, ada, "/new deal Without anyone")
    lonely = await say(tg, ada, "/edit 2 phone 030 123456")
    assert lonely.rendered == ("Item #2 has no contact yet. Link one with /link 2 <contact> "
                               "(find it with /contacts) or create one with /contact.")

    # the contact itself: /edit c<id>
    edited = await say(tg, ada, "/edit c1 name Dr. Anna Schmidt")
    assert edited.rendered.startswith("👤 Dr. Anna Schmidt · #1") and "Saved." in edited.rendered
    edited = await say(tg, ada, "/edit c1 company Beta AG")
    assert "Company: Beta AG" in edited.rendered
    edited = await say(tg, ada, "/edit c1 phone -")
    assert "Phone: —" in edited.rendered
    assert "not a contact field I know" in (await say(tg, ada, "/edit c1 title X")).rendered
    assert (await say(tg, ada, "/edit c9 phone 030 123456")).rendered == \
        "I could not find contact “9”."
    usage = await say(tg, ada, "/edit c1 phone")
    assert usage.rendered.startswith("Usage: /edit <item> <field> <value>")
    card = await say(tg, ada, "/item 1")
    assert "Contact: Dr. Anna Schmidt\n    ✉️ Anna.Schmidt@ACME.de\n" in card.rendered


async def test_contacts_are_listed_searched_and_opened(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    admin_staff = await crm.services.staff.identify(ADMIN_ID)
    assert admin_staff is not None
    for n in range(1, 11):
        await crm.services.clients.create_contact(
            admin_staff, f"Person {n:02}", phone=f"+49 40 77700{n:02}",
            email=f"person{n}@example.org")
    anna = await crm.services.clients.create_contact(
        admin_staff, "Anna Schmidt", phone="+49 (30) 123-456", email="anna@acme.de",
        company_name="ACME GmbH")
    await seed(crm, ADMIN_ID, "deal", "Website", contact_id=anna.id,
               responsible_id=ADMIN_ID)
    await seed(crm, 2001, "quote", "Hosting offer", contact_id=anna.id)

    listed = await say(tg, ada, "/contacts")
    lines = listed.rendered.splitlines()
    assert lines[0] == "Contacts, newest first"
    assert lines[1] == "#11 Anna Schmidt · ACME GmbH · ☎️ +4930123456 · ✉️ anna@acme.de"
    assert lines[2].startswith("#10 Person 10")
    assert listed.button_texts[:2] == ["👤 Anna Schmidt", "👤 Person 10"]
    assert listed.button_texts[-1] == "▶"
    await step(tg, ada, listed, "▶")
    assert [line.split(" ")[0] for line in listed.rendered.splitlines()[1:4]] == [
        "#3", "#2", "#1"]
    await step(tg, ada, listed, "◀")
    assert listed.rendered.splitlines()[1].startswith("#11 Anna Schmidt")

    for text in ("schmi", "030 123456", "+49 30 123-456", "anna@acme.de", "ACME"):
        found = await say(tg, ada, f"/contacts {text}")
        assert found.button_texts == ["👤 Anna Schmidt"], (text, found.rendered)
    many = await say(tg, ada, "/contacts person")
    assert many.button_texts[-1] == "▶"
    await step(tg, ada, many, "▶")
    assert [b for b in many.button_texts if b.startswith("👤")] == [
        "👤 Person 02", "👤 Person 01"]
    none = await say(tg, ada, "/contacts Zacharias")
    assert none.rendered == ("No contact matches “Zacharias”. Try the start of a name, "
                             "a phone number or an e-mail address.")

    found = await say(tg, ada, "/contacts anna")
    opened = await press_for_message(tg, ada, found, "👤 Anna Schmidt")
    assert opened.rendered.splitlines()[:6] == [
        "👤 Anna Schmidt · #11", "Company: ACME GmbH", "Phone: +4930123456",
        "E-mail: anna@acme.de", "Address: — (/edit c11 address <street, postcode town>)",
        "Telegram: not connected — they have not written to the bot yet."]
    assert "#2 Quote · Hosting offer" in opened.rendered
    assert "#1 Deal · Website" in opened.rendered
    assert opened.button_texts == ["#2 Hosting offer", "#1 Website"]
    item_card = await press_for_message(tg, ada, opened, "#1 Website")
    assert item_card.rendered.startswith("Deal #1 · Website")
    # a salesperson sees the contact, and only the items they may see
    seen = await say(tg, sam, "/contacts anna")
    theirs = await press_for_message(tg, sam, seen, "👤 Anna Schmidt")
    assert theirs.button_texts == ["#2 Hosting offer"]


async def test_a_contact_like_an_existing_one_is_offered_first(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/contact Dr. Jana Hahn; +49 30 555111; jana@hahn.de")
    warned = await say(tg, ada, "/contact Jana Hahn")
    assert warned.rendered == (
        "There is already a contact like “Jana Hahn”:\n"
        "• #1 Dr. Jana Hahn · ☎️ +4930555111 · ✉️ jana@hahn.de (same name)\n"
        "Use the existing one, or create “Jana Hahn” anyway?")
    assert warned.button_texts == ["Use Dr. Jana Hahn", "Create new anyway"]
    await step(tg, ada, warned, "Use Dr. Jana Hahn")
    assert warned.rendered.startswith("👤 Dr. Jana Hahn · #1")
    assert "Nothing new was created." in warned.rendered
    contacts, _companies = await crm.services.clients.find(None, "hahn")
    assert [c.name for c in contacts] == ["Dr. Jana Hahn"]

    by_phone = await say(tg, ada, "/contact Jana Müller; 030 555111")
    assert "(same phone)" in by_phone.rendered
    by_email = await say(tg, ada, "/contact Someone Else; ; JANA@hahn.de")
    assert "(same e-mail)" in by_email.rendered
    await step(tg, ada, by_email, "Create new anyway")
    assert by_email.rendered == ("Contact #2 created: Someone Else. Link it to an item with "
                                 "/link <item> 2.")
    stale = await press(tg, ada, by_phone, "Create new anyway")  # the question moved on
    assert stale.text is not None
    contacts, _companies = await crm.services.clients.find(None, "else")
    assert [(c.name, c.email) for c in contacts] == [("Someone Else", "JANA@hahn.de")]
    reversed_name = await say(tg, ada, "/contact hahn, jána")
    assert "#1 Dr. Jana Hahn" in reversed_name.rendered


async def test_the_new_dialog_offers_the_existing_contact(tg: FakeTelegram,
                                                          crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/contact Dr. Jana Hahn")

    async def up_to_contact(title: str) -> None:
        question = await say(tg, ada, "/new")
        await step(tg, ada, question, "Deal")
        await say(tg, ada, title)
        await say(tg, ada, "5000 EUR")

    await up_to_contact("Website")
    warned = await say(tg, ada, "Jana Hahn")
    assert warned.rendered.startswith("There is already a contact like “Jana Hahn”:")
    since = len(tg.sent)
    await step(tg, ada, warned, "Use Dr. Jana Hahn")
    card = await tg.wait_for_message(ada.id, since=since)
    assert "Contact: Dr. Jana Hahn" in card.rendered and "Created." in card.rendered
    assert warned.rendered == "Taking the existing contact Dr. Jana Hahn."

    await up_to_contact("Hosting")
    warned = await say(tg, ada, "jana HAHN")
    since = len(tg.sent)
    await step(tg, ada, warned, "Create new anyway")
    card = await tg.wait_for_message(ada.id, since=since)
    assert "Contact: jana HAHN" in card.rendered
    assert warned.rendered == "Created the new contact #2 jana HAHN."

    await up_to_contact("Support")  # exactly an existing name: taken, as always
    card = await say(tg, ada, "dr. jana hahn")
    assert "Contact: Dr. Jana Hahn" in card.rendered
    items = await all_items(crm)
    assert [i.contact_id for i in items] == [1, 2, 1]


async def test_contacts_in_german(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/contact Dr. Jana Hahn; +49 30 555111")
    warned = await say(tg, ada, "/contact Jana Hahn; ; jana@hahn.de")
    assert warned.rendered == (
        "Es gibt schon einen Kontakt, der „Jana Hahn“ ähnelt:\n"
        "• #1 Dr. Jana Hahn · ☎️ +4930555111 (gleicher Name)\n"
        "Den vorhandenen nehmen oder „Jana Hahn“ trotzdem neu anlegen?")
    assert warned.button_texts == ["Dr. Jana Hahn nehmen", "Trotzdem neu anlegen"]
    await step(tg, ada, warned, "Trotzdem neu anlegen")
    assert warned.rendered.startswith("Kontakt #2 angelegt: Jana Hahn.")

    await crm.services.items.create(await crm.services.staff.identify(ADMIN_ID),
                                    NewItem("deal", "Website", contact_id=1))
    card = await say(tg, ada, "/edit 1 telefon 0049 (30) 555-222")
    assert "☎️ +4930555222" in card.rendered and "Gespeichert." in card.rendered
    wrong = await say(tg, ada, "/edit 1 telefon ruf mich an")
    assert wrong.rendered == ("„ruf mich an“ ist keine Telefonnummer, die ich verstehe: 5 bis "
                              "15 Ziffern, gern mit + vor der Ländervorwahl, z. B. "
                              "+49 30 123456 oder 030 123456.")
    wrong = await say(tg, ada, "/edit 1 email jana.hahn")
    assert wrong.rendered == ("„jana.hahn“ ist keine E-Mail-Adresse, die ich verstehe. "
                              "Beispiel: anna@example.com.")
    edited = await say(tg, ada, "/edit k1 firma Hahn & Partner")
    assert "Unternehmen: Hahn &amp; Partner" not in edited.rendered  # shown, not escaped twice
    assert "Unternehmen: Hahn & Partner" in edited.rendered

    listed = await say(tg, ada, "/contacts")
    assert listed.rendered.splitlines()[0] == "Kontakte, die neuesten zuerst"
    found = await say(tg, ada, "/contacts 030 555 222")
    opened = await press_for_message(tg, ada, found, "👤 Dr. Jana Hahn")
    assert "Telefon: +4930555222" in opened.rendered
    assert ("Telegram: nicht verbunden – der Kontakt hat dem Bot noch nicht geschrieben."
            in opened.rendered)
    assert "Elemente" in opened.rendered and "#1 Auftrag · Website" in opened.rendered
    none = await say(tg, ada, "/contacts Zacharias")
    assert none.rendered.startswith("Kein Kontakt passt zu „Zacharias“.")

    await say(tg, ada, "/new")  # the dialog in German
    question = tg.sent[-1]
    await step(tg, ada, question, "Auftrag")
    await say(tg, ada, "Hosting")
    await say(tg, ada, "100 EUR")
    warned = await say(tg, ada, "Hahn, Jana")
    assert warned.rendered.startswith("Es gibt schon einen Kontakt, der „Hahn, Jana“ ähnelt:")
    since = len(tg.sent)
    await step(tg, ada, warned, "Dr. Jana Hahn nehmen")
    card = await tg.wait_for_message(ada.id, since=since)
    assert "Kontakt: Dr. Jana Hahn" in card.rendered
    assert warned.rendered == "Ich nehme den vorhandenen Kontakt Dr. Jana Hahn."


async def test_the_lead_dialog_offers_the_existing_contact(tg: FakeTelegram,
                                                           crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/mode classic")
    await say(tg, ada, "/contact Prof. Dr. Jana Hahn")
    for choice in ("Use Prof. Dr. Jana Hahn", "Create new anyway"):
        picker = await say(tg, ada, "/new")
        await step(tg, ada, picker, "Lead")
        await step(tg, ada, picker, "Event")
        await say(tg, ada, "Trade fair")
        warned = await say(tg, ada, "500 EUR")
        assert warned.rendered.startswith("Contact name?")
        warned = await say(tg, ada, "Hahn Jana")
        assert warned.rendered.startswith("There is already a contact like “Hahn Jana”:")
        since = len(tg.sent)
        await step(tg, ada, warned, choice)
        card = await tg.wait_for_message(ada.id, since=since)
        assert "Created." in card.rendered and "Source: Event" in card.rendered
    leads = [i for i in await all_items(crm) if i.type_code == "lead"]
    assert [i.contact_id for i in leads] == [1, 2]
    assert (await crm.services.clients.contact(2)).name == "Hahn Jana"
