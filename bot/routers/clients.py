"""Everything a non-staff user (a client) sends: they never reach staff commands."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

router = Router(name=__name__)


@router.message(F.text.startswith("/"))
async def staff_command_from_client(message: Message) -> None:
    await message.answer(_("This command is only for our team. Just write your question "
                           "here and we will answer you."))


@router.message()
async def inquiry(message: Message) -> None:
    await message.answer(_("Thank you for your message! Our team will get back to you soon."))


@router.callback_query()
async def foreign_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is not available to you."), show_alert=True)
