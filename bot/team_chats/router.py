"""The bot added to or removed from a group: a group a staff member adds becomes a team
chat, where rules may post; `/chats` lists the team chats."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import JOIN_TRANSITION, LEAVE_TRANSITION, ChatMemberUpdatedFilter, Command
from aiogram.types import ChatMemberUpdated, Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.team_chats.views import team_chats_text
from crm.access import require_settings_right
from crm.container import CrmServices
from crm.models import Staff


async def added(event: ChatMemberUpdated, services: CrmServices, staff: Staff | None) -> None:
    chat = await services.team_chats.joined(event.chat.id, event.chat.title or "", staff)
    if chat is None:
        await event.answer(_("Hello! Only our team can add me to a group, so I will stay "
                             "quiet here."))
        return
    await event.answer(_("Hello team! Automation rules can now post to “{title}”.").format(
        title=escape(chat.title)))


async def removed(event: ChatMemberUpdated, services: CrmServices) -> None:
    await services.team_chats.left(event.chat.id)


async def list_chats(message: Message, services: CrmServices, staff: Staff | None) -> None:
    if staff is None:
        return
    require_settings_right(staff)
    await message.answer(team_chats_text(await services.team_chats.list()))


def create_router() -> Router:
    router = Router(name=__name__)
    router.my_chat_member.filter(F.chat.type.in_({"group", "supergroup"}))
    router.my_chat_member.register(added,
                                   ChatMemberUpdatedFilter(member_status_changed=JOIN_TRANSITION))
    router.my_chat_member.register(removed,
                                   ChatMemberUpdatedFilter(member_status_changed=LEAVE_TRANSITION))
    router.message.register(list_chats, Command("chats"))
    return router
