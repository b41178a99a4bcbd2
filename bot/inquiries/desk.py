"""Buttons of an inquiry notification besides Open and 💬 Conversation:

- 🙋 Take it: the presser becomes responsible (a salesperson may take an unassigned item);
  the button goes from the notification, the others who were told hear who took it (through
  the outbox, bot/inquiries/taking.py); a later presser is told who has it.
- ✏️ Rename: asks for the item's new title (the next text; /cancel keeps the old one).
- 📞 Save +49 171 2345678 as phone: keeps the number as the contact's phone (noted on the
  item's timeline like any contact change); the button goes from the notification.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.inquiries.callbacks import InquiryAction, InquiryCb, InquiryPhoneCb
from bot.inquiries.states import RenameInquiry
from crm.container import CrmServices
from crm.models import Staff
from crm.services.inquiry_desk import phone_display


async def take(query: CallbackQuery, callback_data: InquiryCb, services: CrmServices,
               staff: Staff) -> None:
    taking = await services.inquiry_desk.take(staff, callback_data.item_id)
    item_id = callback_data.item_id
    if taking.taken:
        await _drop_button(query, callback_data.pack())
        await query.answer(_("🙋 #{id} is yours now.").format(id=item_id))
    elif taking.holder is not None and taking.holder.user_id == staff.user_id:
        await _drop_button(query, callback_data.pack())
        await query.answer(_("#{id} is yours already.").format(id=item_id))
    else:
        name = taking.holder.name if taking.holder else _("someone else")
        await query.answer(_("{name} has taken #{id} already.").format(name=name, id=item_id),
                           show_alert=True)


async def rename(query: CallbackQuery, callback_data: InquiryCb, state: FSMContext,
                 services: CrmServices, staff: Staff) -> None:
    item = await services.items.get(staff, callback_data.item_id)
    await state.set_state(RenameInquiry.title)
    await state.update_data(item_id=item.id)
    if isinstance(query.message, Message):
        await query.message.answer(_("✏️ New title for #{id} “{title}”? (/cancel keeps it)")
                                   .format(id=item.id, title=escape(item.title)))
    await query.answer()


async def new_title(message: Message, state: FSMContext, services: CrmServices,
                    staff: Staff) -> None:
    item_id = int((await state.get_data())["item_id"])
    item = await services.editing.edit(staff, item_id, "title", message.text or "")
    await state.clear()
    await message.answer(_("✏️ #{id} is now called “{title}”.").format(
        id=item.id, title=escape(item.title)))


async def save_phone(query: CallbackQuery, callback_data: InquiryPhoneCb,
                     services: CrmServices, staff: Staff) -> None:
    contact = await services.contacts.edit_item_contact(staff, callback_data.item_id, "phone",
                                                        callback_data.number)
    await _drop_button(query, callback_data.pack())
    await query.answer(_("📞 {number} saved as the phone of {name}.").format(
        number=phone_display(callback_data.number), name=contact.name))


async def _drop_button(query: CallbackQuery, data: str) -> None:
    """The notification without the button just used (its other buttons stay)."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    rows = [[b for b in row if b.callback_data != data]
            for row in message.reply_markup.inline_keyboard]
    await message.edit_reply_markup(
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[row for row in rows if row]))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(take, InquiryCb.filter(F.action == InquiryAction.TAKE))
    router.callback_query.register(rename, InquiryCb.filter(F.action == InquiryAction.RENAME))
    router.callback_query.register(save_phone, InquiryPhoneCb.filter())
    router.message.register(new_title, StateFilter(RenameInquiry.title), F.text,
                            ~F.text.startswith("/"))
    return router
