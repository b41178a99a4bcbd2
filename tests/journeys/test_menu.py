"""Finding one's way: the labelled main menu in the member's language, /help's first steps
and groups, the bot's descriptions, and the notifications of a new responsible person and of
a new team member (issue 12)."""

from __future__ import annotations

from bot.app import CrmBot
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, SentMessage
from tests.journeys.automation_steps import add_rule
from tests.journeys.steps import admin, all_items, invite_link, member, press, say, seed

MENU_EN = [["➕ New item", "📋 My items"], ["📊 Pipeline", "🔎 Search"], ["✅ Tasks", "❓ Help"]]
MENU_DE = [["➕ Neues Element", "📋 Meine Elemente"], ["📊 Pipeline", "🔎 Suchen"],
           ["✅ Aufgaben", "❓ Hilfe"]]


def keyboard(message: SentMessage) -> list[list[str]]:
    return [[text for text, _ in row] for row in message.buttons]


async def test_the_menu_labels_do_what_their_commands_do(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await seed(crm, ADMIN_ID, "deal", "Website relaunch", contact_name="Anna Schmidt")
    start = await say(tg, ada, "/start")
    assert keyboard(start) == MENU_EN
    assert (start.reply_markup or {}).get("is_persistent") is True
    mine = await say(tg, ada, "📋 My items")
    assert "Website relaunch" in mine.rendered
    picker = await say(tg, ada, "➕ New item")
    assert picker.rendered == "What would you like to create?" and "Deal" in picker.button_texts
    # a label in the middle of a dialog works like a command: the search, not a title
    question = await say(tg, ada, "🔎 Search")
    assert question.rendered.startswith("What are you looking for?")
    found = await say(tg, ada, "schmidt")
    assert "Website relaunch" in found.rendered
    assert "activities" in (await say(tg, ada, "✅ Tasks")).rendered
    assert (await say(tg, ada, "❓ Help")).rendered.startswith("Start here")
    overview = await say(tg, ada, "📊 Pipeline")
    assert "open items" in overview.rendered
    assert len(await all_items(crm)) == 1  # nothing was created along the way


async def test_the_menu_follows_the_chosen_language(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await seed(crm, ADMIN_ID, "deal", "Messestand")
    switched = await say(tg, ada, "/language de")
    assert switched.rendered == "Sprache: Deutsch." and keyboard(switched) == MENU_DE
    assert keyboard(await say(tg, ada, "/start")) == MENU_DE
    assert "Messestand" in (await say(tg, ada, "📋 Meine Elemente")).rendered
    # a keyboard sent before the switch still works
    assert "Messestand" in (await say(tg, ada, "📋 My items")).rendered
    question = await say(tg, ada, "🔎 Suchen")
    assert question.rendered.startswith("Wonach suchen Sie?")
    assert "Messestand" in (await say(tg, ada, "messe")).rendered
    assert (await say(tg, ada, "❓ Hilfe")).rendered.startswith("Erste Schritte")


async def test_clients_never_get_the_staff_menu(tg: FakeTelegram, crm: CrmBot) -> None:
    await admin(tg)
    carl = tg.user(3001, "Carl", "Client", language_code="de")
    greeting = await say(tg, carl, "/start")
    assert greeting.rendered.startswith("Hallo! Danke")
    assert (greeting.reply_markup or {}).get("remove_keyboard") is True
    answer = await say(tg, carl, "📋 Meine Elemente")  # a question like any other
    assert answer.rendered.startswith("Danke") or "Element" not in answer.rendered
    assert "📋 Meine Elemente" not in answer.button_texts
    [inquiry] = await all_items(crm)
    assert inquiry.source == "telegram"


async def test_help_starts_with_the_first_steps_and_opens_groups(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    first = await say(tg, sam, "/help")
    assert first.rendered.splitlines()[:2] == [
        "Start here", "1. Create your first item: press ➕ New item, or type it in one line:"]
    assert "e.g. /new deal Website relaunch; 15.000 EUR; Anna Schmidt" in first.rendered
    assert "/invite" not in first.rendered and len(first.rendered.splitlines()) < 12
    assert first.button_texts == ["📋 Items", "👤 Clients & leads", "📈 Reports",
                                  "⚙️ Automation", "🌐 Language & more"]
    await press(tg, sam, first, "📋 Items")
    assert first.rendered.startswith("📋 Items\n/new — Create an item")
    assert "/move 12 won" in first.rendered and "/contact —" not in first.rendered
    assert "🚀 Start here" in first.button_texts and "📋 Items" not in first.button_texts
    await press(tg, sam, first, "⚙️ Automation")
    assert "/status 12" in first.rendered and "/rules" not in first.rendered
    toast = await press(tg, sam, first, data="hlp:team", strict=False)  # not for sales
    assert toast.show_alert and "only an admin" in (toast.text or "")
    assert first.rendered.startswith("⚙️ Automation")

    admin_help = await say(tg, ada, "/help")
    assert "1. Invite your team: /invite sales" in admin_help.rendered
    assert "👥 Team & settings" in admin_help.button_texts
    await press(tg, ada, admin_help, "👥 Team & settings")
    assert "/staff — " in admin_help.rendered and "/mode simple" in admin_help.rendered


async def test_help_in_german(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    first = await say(tg, ada, "/help")
    assert first.rendered.startswith("Erste Schritte\n1. Laden Sie Ihr Team ein: /invite sales")
    assert "Legen Sie Ihr erstes Element an: Tippen Sie auf ➕ Neues Element" in first.rendered
    assert "z. B. /new auftrag Website-Relaunch; 15.000 EUR; Anna Schmidt" in first.rendered
    await press(tg, ada, first, "👤 Kunden & Leads")
    assert first.rendered.startswith("👤 Kunden & Leads\n/")
    assert "\n/contact – Kontakt" in first.rendered and "/new lead" in first.rendered
    await press(tg, ada, first, "🚀 Erste Schritte")
    assert first.rendered.startswith("Erste Schritte")


async def test_the_descriptions_are_set_in_both_languages(tg: FakeTelegram, crm: CrmBot) -> None:
    await tg.wait_for_polling()  # start-up set them before polling
    assert tg.descriptions[("description", "en")].startswith(
        "Questions, offers, orders: write to us here")
    assert tg.descriptions[("description", "de")].startswith(
        "Fragen, Angebote, Bestellungen: Schreiben Sie uns hier")
    assert tg.descriptions[("description", None)] == tg.descriptions[("description", "en")]
    assert tg.descriptions[("short_description", "de")] == (
        "Schreiben Sie uns: Unser Team antwortet Ihnen hier. Für unser Team: das CRM in Telegram.")
    assert tg.descriptions[("short_description", None)].startswith("Write to us")
    assert all(len(text) <= 120 for (kind, _), text in tg.descriptions.items()
               if kind == "short_description")


async def test_the_new_responsible_person_is_told(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await say(tg, ada, "/new deal Export; 900 EUR")
    since = len(tg.sent)
    await say(tg, ada, "/assign 1 Sam")
    told = await tg.wait_for_message(sam.id, since=since)
    assert told.rendered == "📌 Ada Admin made you responsible for #1 Export."
    card = await press(tg, sam, told, "Open #1")
    assert card is not None
    opened = await tg.wait_for_message(sam.id, lambda m: "Export" in m.rendered
                                       and "#1" in m.rendered and m is not told, since=since)
    assert "Responsible: Sam Seller" in opened.rendered

    # taking an item oneself tells nobody; handing it back tells Ada
    since = len(tg.sent)
    await say(tg, ada, "/assign 1 me")
    await say(tg, ada, "/assign 1 me")  # no change, no message
    await crm.automation.outbox.drain()
    assert [m.rendered for m in tg.sent[since:] if m.rendered.startswith("📌")] == []


async def test_the_new_responsible_person_is_told_in_german(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES, language_code="de")
    await say(tg, sam, "/language de")
    await say(tg, ada, "/new deal Messe; 900 EUR")
    since = len(tg.sent)
    await say(tg, ada, "/assign 1 Sam")
    told = await tg.wait_for_message(sam.id, since=since)
    assert told.rendered == "📌 Ada Admin hat Ihnen #1 Messe zugewiesen."
    assert told.button_texts == ["#1 öffnen"]


async def test_admins_are_told_who_joined(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/language de")
    since = len(tg.sent)
    code = await invite_link(tg, ada, Role.MANAGER)
    mia = tg.user(2001, "Mia", "Manager")
    await say(tg, mia, f"/start {code}")
    told = await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered.startswith("👋"),
                                     since=since)
    assert told.rendered == "👋 Mia Manager ist dem Team beigetreten – Rolle: Manager."
    await say(tg, ada, "/language en")
    since = len(tg.sent)
    await member(tg, ada, 2002, Role.SALES, name="Sam")  # waits for the notice itself
    notices = [m.rendered for m in tg.sent[since:] if m.rendered.startswith("👋")]
    assert notices == ["👋 Sam Seller joined the team (role: sales)."]  # Mia is no admin


async def test_a_rule_that_hands_an_item_on_tells_the_new_responsible_person(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await add_rule(crm, ADMIN_ID, "won", "change_responsible", {"user_id": 2001},
                   title="To Sam")
    await say(tg, ada, "/new deal Relaunch; 500 EUR")
    since = len(tg.sent)
    await say(tg, ada, "/move 1 won")
    told = await tg.wait_for_message(sam.id, since=since)
    assert told.rendered == "📌 An automation rule made you responsible for #1 Relaunch."
    assert told.button_texts == ["Open #1"]
