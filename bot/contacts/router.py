"""/contact (create a contact) and /link (attach a contact to an item)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.common.replies import usage
from bot.items.presenter import render_card
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff


async def create_contact(message: Message, command: CommandObject, services: CrmServices,
                         staff: Staff) -> None:
    parts = [p.strip() for p in (command.args or "").split(";")]
    if not parts[0]:
        await usage(message, _("/contact <name>; <phone>; <e-mail>; <company> — only the "
                               "name is needed, e.g. /contact Anna Schmidt; +49 30 123456"))
        return
    parts += [""] * (4 - len(parts))
    contact = await services.clients.create_contact(
        staff, parts[0], phone=parts[1] or None, email=parts[2] or None,
        company_name=parts[3] or None)
    await message.answer(_("Contact #{id} created: {name}. Link it to an item with "
                           "/link &lt;item&gt; {id}.").format(id=contact.id,
                                                               name=escape(contact.name)))


async def link_contact(message: Message, command: CommandObject, services: CrmServices,
                       staff: Staff, lang: str, settings: Settings) -> None:
    words = (command.args or "").replace("#", "").split()
    if len(words) != 2 or not all(w.isdigit() for w in words):
        await usage(message, _("/link <item number> <contact number>, e.g. /link 12 5"))
        return
    item = await services.clients.link(staff, int(words[0]), contact_id=int(words[1]))
    text, markup = await render_card(services, staff, item.id, lang, settings,
                                     note=_("Contact linked."))
    await message.answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(create_contact, Command("contact"))
    router.message.register(link_contact, Command("link"))
    return router
