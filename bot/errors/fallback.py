"""What staff send that no feature took: unknown commands, stray text, forged buttons."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.filters import SlashCommand


async def unknown_command(message: Message) -> None:
    await message.answer(_("I do not know that command. /help lists them all."))


async def stray_message(message: Message) -> None:
    await message.answer(_("I did not understand that. /help lists what I can do."))


async def unknown_button(query: CallbackQuery) -> None:
    # Data that did not parse into any of our callback classes: forged or from an old version.
    await query.answer(_("This button is not valid (any more). Nothing was changed."),
                       show_alert=True)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(unknown_command, SlashCommand())
    router.message.register(stray_message)
    router.callback_query.register(unknown_button)
    return router
