"""Staff answer clients: `/reply <id> <text>`, or a Telegram reply to an inquiry
notification; both are kept on the item's timeline. And the conversation button."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, Filter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import usage
from bot.inquiries import desk
from bot.inquiries.callbacks import InquiryAction, InquiryCb
from bot.inquiries.views import reply_usage, timeline_keyboard, timeline_text
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff, TimelineKind


class RepliesToNotification(Filter):
    """A reply to an inquiry notification or a conversation view: one of the bot's messages
    with a 💬 Conversation button (a list's or a reminder's Open buttons are no such thing);
    passes the item's id as `item_id`."""

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, int]:
        target = message.reply_to_message
        if target is None or target.from_user is None or target.from_user.id != bot.id:
            return False
        markup = target.reply_markup
        for button in [b for row in (markup.inline_keyboard if markup else []) for b in row]:
            if button.callback_data and \
                    button.callback_data.startswith(f"{InquiryCb.__prefix__}:"):
                data = InquiryCb.unpack(button.callback_data)
                if data.action is InquiryAction.TIMELINE:
                    return {"item_id": data.item_id}
        return False


async def reply_command(message: Message, command: CommandObject, services: CrmServices,
                        staff: Staff) -> None:
    number, _sep, text = (command.args or "").strip().partition(" ")
    if not number.lstrip("#").isdigit() or not text.strip():
        await usage(message, reply_usage())
        return
    await _answer_client(message, services, staff, int(number.lstrip("#")), text)


async def reply_to_notification(message: Message, item_id: int, services: CrmServices,
                                staff: Staff) -> None:
    await _answer_client(message, services, staff, item_id, message.text or "")


async def _answer_client(message: Message, services: CrmServices, staff: Staff, item_id: int,
                         text: str) -> None:
    """Kept on the timeline and queued for the client in one transaction: the outbox
    delivers it, and tells the author if the client can never get it."""
    await services.inquiries.record_reply(staff, item_id, text, tg_message_id=message.message_id)
    await message.answer(_("✉️ On its way to the client and kept on the timeline of "
                           "#{id}.").format(id=item_id))


async def show_timeline(query: CallbackQuery, callback_data: InquiryCb, services: CrmServices,
                        staff: Staff, lang: str, settings: Settings) -> None:
    entries = await services.inquiries.timeline(staff, callback_data.item_id)
    team = {s.user_id: s.name for s in await services.staff.list(staff)}
    files = await services.client_files.of_lines(
        [e.id for e in entries if e.id and e.kind is TimelineKind.CLIENT_FILE])
    if isinstance(query.message, Message):
        await query.message.answer(timeline_text(callback_data.item_id, entries, team, lang,
                                                  settings.timezone, files),
                                   reply_markup=timeline_keyboard(callback_data.item_id))
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(reply_command, Command("reply"))
    router.message.register(reply_to_notification, RepliesToNotification(), F.text,
                            ~F.text.startswith("/"))
    router.callback_query.register(show_timeline,
                                   InquiryCb.filter(F.action == InquiryAction.TIMELINE))
    router.include_router(desk.create_router())  # 🙋 Take it, ✏️ Rename, 📞 Save as phone
    return router
