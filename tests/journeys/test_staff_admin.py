"""/staff: roles, the settings right and removal — for admins only; others are refused."""

from __future__ import annotations

from bot.app import CrmBot
from bot.staff.callbacks import StaffAction, StaffCb
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, member, press, say, staff_of, stored_staff


async def test_admin_changes_role_and_right_and_removes_a_member(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await member(tg, ada, 2001, Role.SALES, name="Sam")
    team = await say(tg, ada, "/staff")
    assert team.rendered.splitlines() == [
        "Team", "Ada Admin — admin (id 1001)", "Sam Seller — sales (id 2001)"]
    assert team.button_texts == ["Sam Seller: → manager", "☐ settings", "Remove"]

    assert (await press(tg, ada, team, "Sam Seller: → manager")).text == "Saved."
    assert "Sam Seller — manager (id 2001)" in team.rendered  # edited in place
    assert (await stored_staff(crm, 2001)).role is Role.MANAGER

    await press(tg, ada, team, "☐ settings")
    assert "Sam Seller — manager · can edit settings" in team.rendered
    assert (await stored_staff(crm, 2001)).can_edit_settings
    await press(tg, ada, team, "✅ settings")
    assert not (await stored_staff(crm, 2001)).can_edit_settings

    await press(tg, ada, team, "Remove")
    assert team.rendered.splitlines() == ["Team", "Ada Admin — admin (id 1001)"]
    assert await staff_of(crm, 2001) is None
    sam = tg.user(2001, "Sam", "Seller")
    assert "only for our team" in (await say(tg, sam, "/items")).rendered


async def test_the_last_admin_cannot_be_demoted(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    team = await say(tg, ada, "/staff")
    self_demotion = StaffCb(action=StaffAction.ROLE, user_id=ADMIN_ID, value=0).pack()
    toast = await press(tg, ada, team, data=self_demotion, strict=False)
    assert toast.text == "That is the last admin; make someone else admin first."
    assert (await stored_staff(crm, ADMIN_ID)).role is Role.ADMIN
    nonsense = StaffCb(action=StaffAction.ROLE, user_id=ADMIN_ID, value=9).pack()
    toast = await press(tg, ada, team, data=nonsense, strict=False)
    assert toast.text == "This button is not valid (any more). Nothing was changed."
    ghost = StaffCb(action=StaffAction.REMOVE, user_id=4242).pack()
    toast = await press(tg, ada, team, data=ghost, strict=False)
    assert toast.text == "I could not find staff member “4242”."


async def test_staff_who_are_not_admins_are_refused_politely(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    mia = await member(tg, ada, 2001, Role.MANAGER, name="Mia")
    await member(tg, ada, 2002, Role.SALES, name="Sam")
    for command in ("/staff", "/invite sales"):
        assert (await say(tg, mia, command)).rendered == "Sorry, only an admin may do that."
    team = await say(tg, ada, "/staff")
    promote = StaffCb(action=StaffAction.ROLE, user_id=2002, value=2).pack()
    toast = await press(tg, mia, team, data=promote, strict=False)
    assert toast.text == "Sorry, only an admin may do that." and toast.show_alert
    assert (await stored_staff(crm, 2002)).role is Role.SALES


async def test_the_settings_right_opens_pipelines_but_not_the_team(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    refused = await say(tg, sam, "/pipelines")
    assert refused.rendered == ("Sorry, only an admin or someone allowed to edit settings "
                                "may do that.")
    team = await say(tg, ada, "/staff")
    await press(tg, ada, team, "☐ settings")
    assert (await say(tg, sam, "/pipelines")).rendered.startswith("Pipelines")
    assert (await say(tg, sam, "/staff")).rendered == "Sorry, only an admin may do that."
    help_message = await say(tg, sam, "/help")  # the settings commands in their group
    await press(tg, sam, help_message, "👥 Team & settings")
    assert "/pipelines — " in help_message.rendered and "/staff — " not in help_message.rendered
