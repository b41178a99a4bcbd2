"""The command menu registered with Telegram (setMyCommands), and the bot's description.

Clients see only /start (default scope). Each staff member gets a menu of their own (chat
scope) that matches their role and right; it is registered at start-up and again whenever
they join, their role or right changes, or they choose a language — and withdrawn when
they are removed. Each menu exists per language and once without one (Telegram's fallback
for any other app language); a language chosen with /language wins over the app's.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from bot.i18n import LANGUAGES
from bot.start.help import bot_commands
from crm.models import Staff

MENU_LANGUAGES: tuple[str | None, ...] = (*LANGUAGES, None)


async def register_default_commands(bot: Bot, i18n: I18n) -> None:
    for code in MENU_LANGUAGES:
        with i18n.context(), i18n.use_locale(code or i18n.default_locale):
            start = BotCommand(command="start", description=i18n.gettext("Start"))
        await bot.set_my_commands([start], scope=BotCommandScopeDefault(), language_code=code)


async def register_descriptions(bot: Bot, i18n: I18n) -> None:
    """What anyone sees before pressing Start (the description, in the empty chat) and on
    the bot's profile (the short description), per language and once for any other one.
    Clients see it most: it speaks to them first, then to the team."""
    for code in MENU_LANGUAGES:
        with i18n.context(), i18n.use_locale(code or i18n.default_locale):
            description = i18n.gettext(
                "Questions, offers, orders: write to us here and our team will answer you in "
                "this chat.\n\nFor our team this bot is the CRM: items and the pipeline, "
                "clients, tasks and documents — press Start.")
            short = i18n.gettext("Write to us: our team answers you here. For the team: "
                                 "our CRM in Telegram.")
        await bot.set_my_description(description, language_code=code)
        await bot.set_my_short_description(short, language_code=code)


async def register_staff_commands(bot: Bot, i18n: I18n, staff: Staff) -> None:
    scope = BotCommandScopeChat(chat_id=staff.user_id)
    for code in MENU_LANGUAGES:
        with i18n.context(), i18n.use_locale(staff.language or code or i18n.default_locale):
            commands = bot_commands(staff)
        await bot.set_my_commands(commands, scope=scope, language_code=code)


async def withdraw_staff_commands(bot: Bot, user_id: int) -> None:
    """A removed staff member falls back to the clients' menu."""
    scope = BotCommandScopeChat(chat_id=user_id)
    for code in MENU_LANGUAGES:
        await bot.delete_my_commands(scope=scope, language_code=code)


async def refresh_staff_commands(bot: Bot, i18n: I18n, staff: Staff) -> None:
    if staff.active:
        await register_staff_commands(bot, i18n, staff)
    else:
        await withdraw_staff_commands(bot, staff.user_id)
