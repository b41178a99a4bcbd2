"""/start (joining, greeting), /help, /language and /cancel."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message, User
from aiogram.utils.i18n import gettext as _

from bot.filters import IsStaff
from bot.replies import usage
from bot.texts import role_text
from bot.views.help import help_text, main_menu
from crm.container import CrmServices
from crm.errors import InviteInvalid
from crm.models import Staff
from crm.services.staff import TelegramUser

router = Router(name=__name__)
INVITE_PREFIX = "inv_"


def telegram_user(user: User) -> TelegramUser:
    return TelegramUser(user_id=user.id, name=user.full_name, username=user.username,
                        language=user.language_code)


@router.message(CommandStart())
async def start(message: Message, command: CommandObject, services: CrmServices,
                staff: Staff | None, state: FSMContext) -> None:
    assert message.from_user is not None
    await state.clear()
    args = (command.args or "").strip()
    if args.startswith(INVITE_PREFIX):
        try:
            joined = await services.staff.join(telegram_user(message.from_user),
                                               args.removeprefix(INVITE_PREFIX))
        except InviteInvalid:
            if staff is None:
                raise
        else:
            await message.answer(_("Welcome to the team, {name}! You joined as {role}.").format(
                name=joined.name, role=role_text(joined.role)), reply_markup=main_menu())
            return
    staff = await services.staff.start(telegram_user(message.from_user)) or staff
    if staff is None:
        await message.answer(_("Hello! Thank you for getting in touch. Write your question "
                               "here and our team will answer you soon."))
        return
    await message.answer(_("Hello, {name}! You are {role}. What would you like to do?").format(
        name=staff.name, role=role_text(staff.role)), reply_markup=main_menu())


@router.message(Command("help"), IsStaff())
async def show_help(message: Message, staff: Staff) -> None:
    await message.answer(help_text(staff))


@router.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext) -> None:
    if await state.get_state() is None:
        await message.answer(_("There is nothing to cancel."))
        return
    await state.clear()
    await message.answer(_("Cancelled. Nothing was saved."))


@router.message(Command("language"), IsStaff())
async def language(message: Message, command: CommandObject, services: CrmServices,
                   staff: Staff) -> None:
    choice = (command.args or "").strip().lower()
    if choice not in ("de", "en"):
        await usage(message, _("/language de or /language en"))
        return
    await services.staff.set_language(staff, choice)
    await message.answer("Sprache: Deutsch." if choice == "de" else "Language: English.")
