"""Tells staff about a client's message: the responsible person; nobody being responsible
yet, the team chats the bot is in, or — without one — every active team member. Each in
their own language (team chats in the default one)."""

from __future__ import annotations

from functools import partial

from aiogram import Bot
from aiogram.utils.i18n import I18n

from bot.mode_delivery import deliver
from bot.views.inquiries import inquiry_keyboard, notification_text
from crm.container import CrmServices
from crm.services.inquiries import ClientInfo, InquiryResult
from crm.services.team_chats import TeamChatService


async def recipients(services: CrmServices, responsible_id: int | None,
                     default_language: str) -> list[tuple[int, str]]:
    """(chat id, language) of everyone to tell."""
    if responsible_id is not None:
        responsible = await services.staff.identify(responsible_id)
        if responsible is not None:
            return [(responsible.user_id, responsible.language or default_language)]
    team_chats = await TeamChatService(services.uow, services.clock).list()
    if team_chats:
        return [(chat.chat_id, default_language) for chat in team_chats]
    team = await services.staff.list(None)  # no actor needed
    return [(member.user_id, member.language or default_language) for member in team]


async def notify_staff(bot: Bot, services: CrmServices, i18n: I18n, default_language: str,
                       result: InquiryResult, client: ClientInfo, text: str) -> int:
    """Sends the notification with a button to the item; returns how many got it."""
    delivered = 0
    for chat_id, language in await recipients(services, result.responsible_id,
                                              default_language):
        with i18n.use_locale(language):
            body = notification_text(result, client, text)
            markup = inquiry_keyboard(result.item_id)
        sent = await deliver(partial(bot.send_message, chat_id, body, reply_markup=markup))
        delivered += sent is not None
    return delivered
