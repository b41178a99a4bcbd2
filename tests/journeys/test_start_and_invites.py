"""/start for admins, staff and strangers; joining the team with an invite link."""

from __future__ import annotations

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, all_items, invite_link, say, staff_of


async def test_configured_admin_becomes_admin_on_start(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = tg.user(ADMIN_ID, "Ada", "Admin")
    answer = await say(tg, ada, "/start")
    assert "Hello, Ada Admin! Your role: admin." in answer.rendered
    assert ["➕ New item", "📋 My items"] in [[t for t, _ in row] for row in answer.buttons]
    stored = await staff_of(crm, ADMIN_ID)
    assert stored is not None and stored.role is Role.ADMIN
    again = await say(tg, ada, "/start")
    assert "Your role: admin" in again.rendered


async def test_invite_joins_with_its_role_once(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    code = await invite_link(tg, ada, Role.MANAGER)
    assert (await say(tg, ada, "/invite")).rendered.startswith("Usage: /invite sales")
    mia = tg.user(2001, "Mia", "Manager")
    welcome = await say(tg, mia, f"/start {code}")
    assert "Welcome to the team, Mia Manager! Your role: manager." in welcome.rendered
    stored = await staff_of(crm, 2001)
    assert stored is not None and stored.role is Role.MANAGER

    eve = tg.user(2002, "Eve")
    refused = await say(tg, eve, f"/start {code}")
    assert "already used" in refused.rendered
    assert await staff_of(crm, 2002) is None
    bogus = await say(tg, eve, "/start inv_nonsense")
    assert "not valid" in bogus.rendered
    assert await staff_of(crm, 2002) is None


async def test_an_expired_invite_is_refused(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    code = await invite_link(tg, ada, Role.SALES)
    clock.advance(days=8)
    late = tg.user(2003, "Leo")
    answer = await say(tg, late, f"/start {code}")
    assert "expired" in answer.rendered
    assert await staff_of(crm, 2003) is None


async def test_a_stranger_is_greeted_as_a_client_and_refused_staff_commands(
        tg: FakeTelegram, crm: CrmBot) -> None:
    await admin(tg)
    carl = tg.user(3001, "Carl", "Client")
    greeting = await say(tg, carl, "/start")
    assert "Thank you for getting in touch" in greeting.rendered
    for command in ("/new deal Free stuff; 1 EUR", "/items", "/invite admin", "/staff",
                    "/move 1 won", "/types add Hack; a, b"):
        answer = await say(tg, carl, command)
        assert "only for our team" in answer.rendered, command
    assert await staff_of(crm, 3001) is None
    assert await all_items(crm) == []
    assert [t.code for t in await crm.services.catalog.types(include_hidden=True)] == [
        "lead", "deal", "quote", "invoice"]


async def test_staff_without_admin_rights_cannot_invite(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    code = await invite_link(tg, ada, Role.SALES)
    sam = tg.user(2004, "Sam")
    await say(tg, sam, f"/start {code}")
    answer = await say(tg, sam, "/invite admin")
    assert "only an admin" in answer.rendered
    start = await say(tg, sam, "/start")
    assert "Your role: sales" in start.rendered


async def test_the_invite_reads_as_a_sentence_in_both_languages(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    english = await say(tg, ada, "/invite sales")
    assert english.rendered.startswith(
        "Invite link for a new team member with the role “sales”, valid for 7 days and for "
        "one person:\nhttps://t.me/")
    await say(tg, ada, "/language de")
    german = await say(tg, ada, "/invite manager")
    assert german.rendered.startswith(
        "Einladungslink für ein neues Teammitglied mit der Rolle „Manager“ – 7 Tage gültig, "
        "für eine Person:\nhttps://t.me/")
