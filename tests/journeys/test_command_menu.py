"""The command menu registered with Telegram: /start for clients, a menu per staff member
that follows their role, right and language."""

from __future__ import annotations

from pathlib import Path

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.steps import admin, member, press, say


def names(tg: FakeTelegram, scope: str, language: str | None = None) -> list[str]:
    return [command for command, _ in tg.commands_for(scope, language)]


async def test_clients_see_only_start_in_their_language(tg: FakeTelegram, crm: CrmBot) -> None:
    await tg.wait_for_polling()  # start-up registered the menus before polling
    assert tg.commands_for("default", "en") == [("start", "Start")]
    assert tg.commands_for("default", "de") == [("start", "Starten")]
    assert tg.commands_for("default") == [("start", "Start")]  # any other app language


async def test_staff_menus_follow_joining_role_right_and_removal(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    assert {"new", "items", "move", "staff", "invite", "pipelines"} <= set(
        names(tg, f"chat:{ADMIN_ID}", "en"))
    assert ("new", "Element anlegen") in tg.commands_for(f"chat:{ADMIN_ID}", "de")
    await member(tg, ada, 2001, Role.SALES)
    sales_menu = names(tg, "chat:2001", "en")
    assert "new" in sales_menu and "link" in sales_menu and "staff" not in sales_menu
    team = await say(tg, ada, "/staff")
    await press(tg, ada, team, "Sam Seller: → manager")
    await press(tg, ada, team, "☐ settings")
    right_menu = names(tg, "chat:2001", "en")
    assert "pipelines" in right_menu and "staff" not in right_menu
    await press(tg, ada, team, "Sam Seller: → admin")
    assert "staff" in names(tg, "chat:2001", "en")
    await press(tg, ada, team, "Remove")
    assert tg.commands_for("chat:2001", "en") == [] and tg.commands_for("chat:2001") == []


async def test_a_chosen_language_wins_in_the_menu(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/language de")
    assert ("new", "Element anlegen") in tg.commands_for(f"chat:{ADMIN_ID}", "en")
    assert ("new", "Element anlegen") in tg.commands_for(f"chat:{ADMIN_ID}")


async def test_a_restart_registers_every_known_member_again(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    settings = make_settings(tg, tg.base_url or "", tmp_path)
    first = await start_bot(settings, clock)
    try:
        ada = await admin(tg)
        await member(tg, ada, 2001, Role.MANAGER)
    finally:
        await first.stop()
    tg.commands.clear()
    second = await start_bot(settings, clock)
    try:
        await tg.wait_for_polling(polls=tg.poll_count + 1)  # start-up is done before polling
        assert "new" in names(tg, "chat:2001", "en") and "staff" not in names(tg, "chat:2001")
        assert "staff" in names(tg, f"chat:{ADMIN_ID}", "en")
    finally:
        await second.stop()
