"""The command menu registered with Telegram: per staff member, in their language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from bot.i18n import LANGUAGES, PoI18n
from bot.views.help import bot_commands
from crm.models import Staff


async def register_default_commands(bot: Bot, i18n: PoI18n) -> None:
    """Clients see only /start; each language gets its own description."""
    for language in LANGUAGES:
        with i18n.context(), i18n.use_locale(language):
            start = BotCommand(command="start", description=i18n.gettext("Start"))
        await bot.set_my_commands([start], scope=BotCommandScopeDefault(), language_code=language)


async def register_staff_commands(bot: Bot, i18n: PoI18n, staff: Staff) -> None:
    with i18n.context(), i18n.use_locale(staff.language or i18n.default_locale):
        commands = bot_commands(admin=staff.may_edit_settings)
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=staff.user_id))
