"""Everything a non-staff user (a client) sends: they never reach staff commands.

What a client writes in a private chat is an inquiry: a lead (classic mode) or a contact
with a deal (simple mode); further messages join their open item. The client gets a polite
acknowledgement and never sees CRM data; staff are told with a button to the item.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.files.media import ClientMedia, incoming_file, own_contact
from crm.container import CrmServices
from crm.services.inquiries import ClientInfo


def client_info(message: Message) -> ClientInfo:
    user = message.from_user
    assert user is not None  # private chats always have a sender
    return ClientInfo(user_id=user.id, chat_id=message.chat.id, name=user.full_name,
                      username=user.username, language=user.language_code)


async def staff_command_from_client(message: Message) -> None:
    await message.answer(_("This command is only for our team. Just write your question "
                           "here and we will answer you."))


async def inquiry(message: Message, services: CrmServices) -> None:
    """Files the message; staff are told through the outbox (bot/inquiry_notify.py)."""
    client, text = client_info(message), message.text or message.caption or ""
    result = await services.inquiries.receive(client, text, services.clock.now(),
                                              tg_message_id=message.message_id,
                                              file=incoming_file(message),  # bot/files/
                                              own_contact=own_contact(message))
    if not result.thank:
        return  # thanked once per conversation (crm/services/inquiry_desk.py)
    if result.created:
        await message.answer(_("Thank you for your message! Our team will get back to you "
                               "soon."))
    else:
        await message.answer(_("Thank you! We have added your message to your inquiry and "
                               "will get back to you soon."))


async def not_text(message: Message) -> None:
    await message.answer(_("Please write your question as text — our team will answer you "
                           "here."))


async def foreign_button(query: CallbackQuery) -> None:
    await query.answer(_("This button is not available to you."), show_alert=True)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(F.chat.type == "private")  # in groups, strangers' talk is no inquiry
    router.message.register(staff_command_from_client, F.text.startswith("/"))
    router.message.register(inquiry, ClientMedia())  # photos, voice notes, files, contacts
    router.message.register(inquiry, F.text | F.caption)
    router.message.register(not_text)
    router.callback_query.register(foreign_button)
    return router
