"""Editing an item by hand: /edit <item> <field> <value> and /assign <item> <who>."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.common.replies import parse_item_id, usage
from bot.contacts.screens import contact_ref, render_contact
from bot.items.presenter import render_card
from bot.settings import Settings
from crm.access import can_see_item
from crm.container import CrmServices
from crm.models import Staff
from crm.services.addresses import is_address_field
from crm.services.contacts import item_contact_field


async def edit(message: Message, command: CommandObject, services: CrmServices, staff: Staff,
               lang: str, settings: Settings) -> None:
    words = (command.args or "").split(maxsplit=2)
    item_id = parse_item_id(words[0]) if words else None
    contact_id = contact_ref(words[0]) if words else None
    if (item_id is None and contact_id is None) or len(words) < 3:
        await usage(message, _("/edit <item> <field> <value> — fields: title, amount, currency, "
                               "probability, phone, email (of its contact), custom.<name>; "
                               "e.g. /edit 12 amount 18.000 EUR. A contact: /edit c<contact> "
                               "name|phone|email|company <value>, e.g. /edit c5 phone "
                               "+49 30 123456"))
        return
    if contact_id is not None:
        if is_address_field(words[1]):  # the postal address invoices print
            await services.addresses.set_for_contact(staff, contact_id, words[2])
        else:
            await services.contacts.edit_contact(staff, contact_id, words[1], words[2])
        text, markup = await render_contact(services, staff, contact_id, lang, note=_("Saved."))
        await message.answer(text, reply_markup=markup)
        return
    assert item_id is not None
    if is_address_field(words[1]):  # of its company, else of its contact
        await services.addresses.set_for_item(staff, item_id, words[2])
    elif item_contact_field(words[1]):  # the phone or e-mail of the item's contact
        await services.contacts.edit_item_contact(staff, item_id, words[1], words[2])
    else:
        await services.editing.edit(staff, item_id, words[1], words[2])
    text, markup = await render_card(services, staff, item_id, lang, settings,
                                     note=_("Saved."))
    await message.answer(text, reply_markup=markup)


async def assign(message: Message, command: CommandObject, services: CrmServices,
                 staff: Staff, lang: str, settings: Settings) -> None:
    words = (command.args or "").split(maxsplit=1)
    item_id = parse_item_id(words[0]) if words else None
    if item_id is None or len(words) < 2:
        await usage(message, _("/assign <item> <who> — me, @username or a name, "
                               "e.g. /assign 12 @max"))
        return
    item, member = await services.editing.assign(staff, item_id, words[1])
    note = _("{name} is now responsible.").format(name=escape(member.name))
    if not can_see_item(staff, item):  # handed on: the card is theirs now
        await message.answer(note)
        return
    text, markup = await render_card(services, staff, item_id, lang, settings, note=note)
    await message.answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(edit, Command("edit"))
    router.message.register(assign, Command("assign"))
    return router
