"""/contact creates contacts (with phone, e-mail, company); /link attaches one to an item."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, all_items, member, say, seed


async def test_a_contact_with_all_details_is_linked_to_an_item(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await seed(crm, ADMIN_ID, "deal", "Website")
    created = await say(tg, ada, "/contact Anna Schmidt; +49 30 123456; anna@example.org; "
                                 "ACME GmbH")
    assert created.rendered == ("Contact #1 created: Anna Schmidt. Link it to an item with "
                                "/link <item> 1.")
    contact = await crm.services.clients.contact(1)
    assert (contact.phone, contact.email) == ("+4930123456", "anna@example.org")
    card = await say(tg, ada, "/link 1 1")
    assert "Contact: Anna Schmidt" in card.rendered and "Company: ACME GmbH" in card.rendered
    assert "Contact linked." in card.rendered
    [item] = await all_items(crm)
    assert item.contact_id == 1 and item.company_id == contact.company_id
    only_name = await say(tg, ada, "/contact Bob <Builder>")
    assert only_name.rendered.startswith("Contact #2 created: Bob <Builder>.")


async def test_wrong_contact_details_are_refused_and_nothing_is_stored(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    assert (await say(tg, ada, "/contact")).rendered.startswith("Usage: /contact <name>")
    assert (await say(tg, ada, "/contact ; 123456")).rendered.startswith("Usage: /contact")
    phone = await say(tg, ada, "/contact Bob; call me maybe")
    assert phone.rendered == ("“call me maybe” is not a phone number I understand: 5 to 15 "
                              "digits, with + for the country code if you like, e.g. "
                              "+49 30 123456 or 030 123456.")
    email = await say(tg, ada, "/contact Bob; ; bob(at)example")
    assert email.rendered == ("“bob(at)example” is not an e-mail address I understand, e.g. "
                              "anna@example.com.")
    assert (await crm.services.clients.find(None, "Bob")) == ([], [])


async def test_link_with_unknown_or_foreign_ids(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await seed(crm, ADMIN_ID, "deal", "Ada's")
    await say(tg, ada, "/contact Anna")
    assert (await say(tg, ada, "/link 1 9")).rendered == "I could not find contact “9”."
    assert (await say(tg, ada, "/link 9 1")).rendered == "I could not find item “9”."
    for wrong in ("/link", "/link 1", "/link one two", "/link 1 2 3"):
        assert (await say(tg, ada, wrong)).rendered.startswith("Usage: /link"), wrong
    refused = await say(tg, sam, "/link 1 1")
    assert refused.rendered == "Sorry, you may not see or change this item."
    [item] = await all_items(crm)
    assert item.contact_id is None
