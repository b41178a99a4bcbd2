"""/staff (roles, the settings right, removal) and /invite — admins only (the services check)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.board.buttons import set_menu_button
from bot.common.replies import edit_or_send, usage
from bot.common.texts import role_text
from bot.settings import Settings
from bot.staff.callbacks import StaffAction, StaffCb
from bot.staff.views import ROLES, staff_keyboard, staff_text
from bot.start.commands import refresh_staff_commands
from crm.access import require_admin
from crm.container import CrmServices
from crm.models import Role, Staff


async def list_staff(message: Message, services: CrmServices, staff: Staff) -> None:
    require_admin(staff)
    team = await services.staff.list(staff)
    await message.answer(staff_text(team), reply_markup=staff_keyboard(team, staff))


async def change_staff(query: CallbackQuery, callback_data: StaffCb, services: CrmServices,
                       staff: Staff, bot: Bot, i18n: I18n, settings: Settings) -> None:
    target, action = callback_data.user_id, callback_data.action
    if action is StaffAction.ROLE and 0 <= callback_data.value < len(ROLES):
        changed = await services.staff.set_role(staff, target, ROLES[callback_data.value])
    elif action is StaffAction.SETTINGS:
        changed = await services.staff.set_settings_right(staff, target, bool(callback_data.value))
    elif action is StaffAction.REMOVE:
        changed = await services.staff.remove(staff, target)
    else:
        await query.answer(_("This button is not valid (any more). Nothing was changed."),
                           show_alert=True)
        return
    await refresh_staff_commands(bot, i18n, changed)  # their menu follows their role
    await set_menu_button(bot, i18n, changed, settings)  # a removed member loses the board
    team = await services.staff.list(staff)
    await edit_or_send(query, staff_text(team), staff_keyboard(team, staff))
    await query.answer(_("Saved."))


async def invite(message: Message, command: CommandObject, services: CrmServices,
                 staff: Staff, bot: Bot) -> None:
    require_admin(staff)
    word = (command.args or "").strip().lower()
    if word not in {r.value for r in Role}:
        await usage(message, _("/invite sales, /invite manager or /invite admin"))
        return
    created = await services.staff.create_invite(staff, Role(word))
    me = await bot.me()
    link = f"https://t.me/{me.username}?start=inv_{created.code}"
    await message.answer(_("Invite link for a new team member with the role “{role}”, valid for "
                           "7 days and for one person:\n{link}").format(
        role=role_text(created.role), link=link))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(list_staff, Command("staff"))
    router.callback_query.register(change_staff, StaffCb.filter())
    router.message.register(invite, Command("invite"))
    return router
