"""/start (joining, greeting), /help, /language and /cancel."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, ReplyKeyboardRemove, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.board.buttons import set_menu_button
from bot.common.formatting import escape
from bot.common.replies import usage
from bot.common.texts import role_text
from bot.filters import IsStaff
from bot.menu.labels import main_menu
from bot.menu.router import show_help
from bot.settings import Settings
from bot.start.commands import register_staff_commands
from crm.container import CrmServices
from crm.errors import InviteInvalid
from crm.i18n import LANGUAGES, translate
from crm.models import Staff
from crm.services.staff import TelegramUser

INVITE_PREFIX = "inv_"


def telegram_user(user: User) -> TelegramUser:
    return TelegramUser(user_id=user.id, name=user.full_name, username=user.username,
                        language=user.language_code)


async def start(message: Message, command: CommandObject, services: CrmServices,
                staff: Staff | None, state: FSMContext, bot: Bot, i18n: I18n,
                settings: Settings) -> None:
    assert message.from_user is not None
    await state.clear()
    user = telegram_user(message.from_user)
    joined = await _join(services, user, (command.args or "").strip(), staff)
    staff = joined or await services.staff.start(user) or staff
    if staff is None:
        await message.answer(_("Hello! Thank you for getting in touch. Write your question "
                               "here and our team will answer you soon."),
                             reply_markup=ReplyKeyboardRemove())  # never the staff's menu
        return
    await register_staff_commands(bot, i18n, staff)  # joined, or made admin by ADMIN_IDS
    await set_menu_button(bot, i18n, staff, settings)  # the board (with WEBAPP_URL)
    if joined:
        text = _("Welcome to the team, {name}! Your role: {role}.")
    else:
        text = _("Hello, {name}! Your role: {role}. What would you like to do?")
    await message.answer(text.format(name=escape(staff.name), role=role_text(staff.role)),
                         reply_markup=main_menu())


async def _join(services: CrmServices, user: TelegramUser, args: str,
                staff: Staff | None) -> Staff | None:
    """The member an invite in the start link made; None without one. A bad invite is
    explained to a stranger; staff who open an old invite just get their menu."""
    if not args.startswith(INVITE_PREFIX):
        return None
    try:
        return await services.staff.join(user, args.removeprefix(INVITE_PREFIX))
    except InviteInvalid:
        if staff is None:
            raise
        return None


async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(_("There is nothing to cancel."))
        return
    await state.clear()
    await message.answer(_("Cancelled. Nothing was saved."))


async def language(message: Message, command: CommandObject, services: CrmServices,
                   staff: Staff, bot: Bot, i18n: I18n) -> None:
    choice = (command.args or "").strip().lower()
    if choice not in LANGUAGES:
        await usage(message, _("/language de or /language en"))
        return
    updated = await services.staff.set_language(staff, choice)
    await register_staff_commands(bot, i18n, updated)  # the menu in the chosen language
    # in the chosen language, which each language names as its own; the menu with it
    with i18n.use_locale(choice):
        menu = main_menu()
    await message.answer(translate("Language: English.", choice), reply_markup=menu)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(start, CommandStart())
    router.message.register(show_help, Command("help"), IsStaff())
    router.message.register(cancel, Command("cancel"))
    router.message.register(language, Command("language"), IsStaff())
    return router
