"""A client opens the start link staff sent them (`/start c<id>_<signature>`): their chat is
connected to their contact, so the rules' messages can reach them."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.clients.deep_links import StartLinks
from bot.filters import IsClient
from crm.container import CrmServices
from crm.errors import Conflict


async def connect(message: Message, command: CommandObject, services: CrmServices,
                  links: StartLinks) -> None:
    assert message.from_user is not None
    contact_id = links.contact_of(command.args or "")
    if contact_id is None:
        await message.answer(_("This link is not valid. Please ask us for a new one."))
        return
    user = message.from_user
    try:
        contact = await services.clients.connect_chat(contact_id, message.chat.id,
                                                      user.username, user.language_code)
    except Conflict:
        await message.answer(_("This link belongs to someone else's chat. Please ask us for "
                               "your own link."))
        return
    await message.answer(_("Hello {name}! You are connected — we will send you news about "
                           "your request right here.").format(name=contact.name))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(connect, CommandStart(deep_link=True, magic=F.args.regexp(r"^c\d+_")),
                            IsClient())
    return router
