"""Tells staff about a client's message: the responsible person, or — nobody being
responsible yet — every active team member, each in their own language."""

from __future__ import annotations

from aiogram import Bot
from aiogram.utils.i18n import I18n

from bot.mode_delivery import deliver
from bot.views.inquiries import inquiry_keyboard, notification_text
from crm.container import CrmServices
from crm.models import Staff
from crm.services.inquiries import ClientInfo, InquiryResult


async def recipients(services: CrmServices, responsible_id: int | None) -> list[Staff]:
    if responsible_id is not None:
        responsible = await services.staff.identify(responsible_id)
        if responsible is not None:
            return [responsible]
    return await services.staff.list(None)  # type: ignore[arg-type]  # no actor needed


async def notify_staff(bot: Bot, services: CrmServices, i18n: I18n, default_language: str,
                       result: InquiryResult, client: ClientInfo, text: str) -> int:
    """Sends the notification with a button to the item; returns how many got it."""
    delivered = 0
    for member in await recipients(services, result.responsible_id):
        with i18n.use_locale(member.language or default_language):
            body = notification_text(result, client, text)
            markup = inquiry_keyboard(result.item_id)
        sent = await deliver(lambda uid=member.user_id, b=body, m=markup: bot.send_message(
            uid, b, reply_markup=m))
        delivered += sent is not None
    return delivered
