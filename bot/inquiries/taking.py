"""What staff are told, through the outbox in the transaction of the change:

- someone took an unassigned inquiry (🙋 Take it, or by answering the client first): the
  others who were told of the inquiry (the team chats, else every other active team member)
  hear who took it;
- a client opened their start link: the responsible person of each of the client's open
  items hears that they are connected and how many rules run again.

Each in their own language (team chats in the default one).
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape
from bot.common.notices import OutboxNotices
from bot.inquiries.notify import recipients
from bot.items.callbacks import CardAction, CardCb
from bot.telegram.transport import markup_payload
from crm.events import EventBus
from crm.services.inquiry_desk import InquiryTaken
from crm.storage.unit_of_work import UnitOfWork
from rules.services.reconnect import RulesRerun


def taken_text(event: InquiryTaken) -> str:
    name = escape(event.name)
    if event.by_reply:
        return _("🙋 {name} answered the client of #{id} and is responsible now.").format(
            name=name, id=event.item_id)
    return _("🙋 {name} took #{id}.").format(name=name, id=event.item_id)


def rerun_text(event: RulesRerun) -> str:
    item = f"#{event.item_id} {escape(event.title)}"
    name = escape(event.contact_name)
    return ngettext("🔗 {name} is connected to the bot now: {count} rule of {item} runs again.",
                    "🔗 {name} is connected to the bot now: {count} rules of {item} run again.",
                    event.count).format(name=name, count=event.count, item=item)


def open_keyboard(item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Open #{id}").format(id=item_id),
                   callback_data=CardCb(action=CardAction.OPEN, item_id=item_id))
    return builder.as_markup()


class InquiryDeskNotices(OutboxNotices):
    def install(self, bus: EventBus) -> None:
        bus.subscribe(InquiryTaken, self.on_taken)
        bus.subscribe(RulesRerun, self.on_rerun)

    async def on_taken(self, event: InquiryTaken, uow: UnitOfWork) -> None:
        for chat_id, language in await recipients(uow, None, self._default):
            if chat_id == event.user_id:
                continue  # the taker knows
            with self.speaking(language):
                text = taken_text(event)
            await self.queue(uow, f"taken:{event.item_id}:{event.at.isoformat()}:{chat_id}",
                             chat_id, {"text": text})

    async def on_rerun(self, event: RulesRerun, uow: UnitOfWork) -> None:
        member = await uow.staff.get(event.responsible_id) if event.responsible_id else None
        if member is None or not member.active:
            return
        with self.speaking(member.language):
            payload = {"text": rerun_text(event),
                       "buttons": markup_payload(open_keyboard(event.item_id))}
        await self.queue(uow, f"connected:{event.item_id}:{event.at.isoformat()}",
                         member.user_id, payload)
