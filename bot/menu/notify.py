"""What staff are told about their team, through the outbox (durably, in the transaction of
the change, like the inquiry notifications in bot/inquiries/notify.py):

- the new responsible person, when someone else (or an automation rule) gives them an item —
  with a button to open it; nobody is told of what they did themselves;
- the admins, when someone joins with an invite (name and role).

Each in their own language (else the default one).
"""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape
from bot.common.notices import OutboxNotices
from bot.common.texts import role_text
from bot.items.callbacks import CardAction, CardCb
from bot.telegram.transport import markup_payload
from crm.events import EventBus, ResponsibleChanged, StaffJoined
from crm.models import Role, Staff
from crm.storage.unit_of_work import UnitOfWork


def open_keyboard(item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Open #{id}").format(id=item_id),
                   callback_data=CardCb(action=CardAction.OPEN, item_id=item_id))
    return builder.as_markup()


def assigned_text(event: ResponsibleChanged, by: Staff | None) -> str:
    item = f"<b>#{event.item_id} {escape(event.title)}</b>"
    if by is None:
        return _("📌 An automation rule made you responsible for {item}.").format(item=item)
    return _("📌 {name} made you responsible for {item}.").format(name=escape(by.name),
                                                                 item=item)


def joined_text(event: StaffJoined) -> str:
    return _("👋 {name} joined the team (role: {role}).").format(
        name=escape(event.name), role=role_text(Role(event.role)))


class StaffNotices(OutboxNotices):
    def install(self, bus: EventBus) -> None:
        bus.subscribe(ResponsibleChanged, self.on_assigned)
        bus.subscribe(StaffJoined, self.on_joined)

    async def on_assigned(self, event: ResponsibleChanged, uow: UnitOfWork) -> None:
        if event.by_user_id == event.responsible_id:
            return  # took it themselves
        member = await uow.staff.get(event.responsible_id)
        if member is None or not member.active:
            return
        by = await uow.staff.get(event.by_user_id) if event.by_user_id is not None else None
        with self.speaking(member.language):
            payload = {"text": assigned_text(event, by),
                       "buttons": markup_payload(open_keyboard(event.item_id))}
        await self.queue(uow, f"assigned:{event.item_id}:{event.version}:{member.user_id}",
                         member.user_id, payload)

    async def on_joined(self, event: StaffJoined, uow: UnitOfWork) -> None:
        for admin in await uow.staff.list_active():
            if not admin.is_admin or admin.user_id == event.user_id:
                continue
            with self.speaking(admin.language):
                text = joined_text(event)
            await self.queue(uow, f"joined:{event.user_id}:{event.at.isoformat()}:"
                             f"{admin.user_id}", admin.user_id, {"text": text})
