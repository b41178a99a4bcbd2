"""Inquiries through the outbox: staff are told about a client's message, and a staff reply
reaches the client, by outbox rows written in the transaction that files the message or
keeps the reply. A crash mid-send loses neither; a 429 or a network error only delays it.

Who is told: the responsible person; nobody being responsible yet, the team chats the bot
is in, or — without one — every active team member. Each in their own language (team
chats in the default one). A reply the client can never get (they blocked the bot) is
reported to its author.
"""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.common.notices import OutboxNotices
from bot.inquiries.views import inquiry_keyboard, notification_text
from bot.telegram.transport import markup_payload
from crm.events import EventBus
from crm.services.inquiries import InquiryFiled, ReplyRecorded
from crm.storage.unit_of_work import UnitOfWork


async def recipients(uow: UnitOfWork, responsible_id: int | None,
                     default_language: str) -> list[tuple[int, str]]:
    """(chat id, language) of everyone to tell."""
    if responsible_id is not None:
        responsible = await uow.staff.get(responsible_id)
        if responsible is not None and responsible.active:
            return [(responsible.user_id, responsible.language or default_language)]
    team_chats = await uow.team_chats.list_active()
    if team_chats:
        return [(chat.chat_id, default_language) for chat in team_chats]
    team = await uow.staff.list_active()
    return [(member.user_id, member.language or default_language) for member in team]


class InquiryOutbox(OutboxNotices):
    def install(self, bus: EventBus) -> None:
        bus.subscribe(InquiryFiled, self.on_inquiry)
        bus.subscribe(ReplyRecorded, self.on_reply)

    async def on_inquiry(self, event: InquiryFiled, uow: UnitOfWork) -> None:
        """The notification, with buttons to the item and the conversation."""
        if event.file is not None:
            return  # a photo, voice note, … or contact: bot/files/notify.py tells staff
        item_id = event.result.item_id
        for chat_id, language in await recipients(uow, event.result.responsible_id,
                                                  self._default):
            with self.speaking(language):
                text = notification_text(event.result, event.client, event.text)
                buttons = markup_payload(inquiry_keyboard(
                    item_id, take=event.result.responsible_id is None,
                    rename=event.result.created, phones=event.result.phones))
            await self.queue(uow, f"inquiry:{event.entry_id}:{chat_id}", chat_id,
                             {"text": text, "buttons": buttons})

    async def on_reply(self, event: ReplyRecorded, uow: UnitOfWork) -> None:
        author = await uow.staff.get(event.author_id)
        language = (author.language if author else None) or self._default
        with self.speaking(language):
            undelivered = _("Kept on the timeline of #{id}, but Telegram did not deliver it: "
                            "the client may have blocked the bot.").format(id=event.item_id)
        await self.queue(uow, f"reply:{event.entry_id}", event.chat_id, {
            "text": escape(event.text),
            "if_undelivered": {"chat_id": event.author_id, "text": undelivered}})
