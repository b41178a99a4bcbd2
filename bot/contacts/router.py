"""/contact (create a contact, warning of duplicates), /link (attach a contact to an item),
/contacts (the list and search) and a contact's card."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.common.replies import edit, edit_or_send, usage
from bot.contacts.callbacks import ContactCb, ContactListCb, DuplicateCb, DuplicateChoice
from bot.contacts.screens import render_contact
from bot.contacts.states import ContactDialog
from bot.contacts.views import PAGE_SIZE, duplicates_keyboard, duplicates_text, list_keyboard
from bot.contacts.views import list_text as contacts_text
from bot.items.presenter import render_card
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff

FIELDS = "contact_fields"


async def create_contact(message: Message, command: CommandObject, state: FSMContext,
                         services: CrmServices, staff: Staff) -> None:
    parts = [p.strip() for p in (command.args or "").split(";")]
    if not parts[0]:
        await usage(message, _("/contact <name>; <phone>; <e-mail>; <company> — only the "
                               "name is needed, e.g. /contact Anna Schmidt; +49 30 123456"))
        return
    parts += [""] * (4 - len(parts))
    duplicates = await services.duplicates.like(parts[0], parts[1] or None, parts[2] or None)
    if duplicates:
        await state.set_state(ContactDialog.duplicate)
        await state.update_data({FIELDS: parts[:4]})
        await message.answer(duplicates_text(parts[0], duplicates),
                             reply_markup=duplicates_keyboard(duplicates))
        return
    await message.answer(await _create(services, staff, parts))


async def _create(services: CrmServices, staff: Staff, parts: list[str]) -> str:
    contact = await services.clients.create_contact(
        staff, parts[0], phone=parts[1] or None, email=parts[2] or None,
        company_name=parts[3] or None)
    return _("Contact #{id} created: {name}. Link it to an item with "
             "/link &lt;item&gt; {id}.").format(id=contact.id, name=escape(contact.name))


async def answer_duplicate(query: CallbackQuery, callback_data: DuplicateCb, state: FSMContext,
                           services: CrmServices, staff: Staff, lang: str) -> None:
    """/contact's warning answered: show the existing contact, or create the new one."""
    parts = [str(p) for p in (await state.get_data()).get(FIELDS, [])]
    await state.clear()
    if not isinstance(query.message, Message) or len(parts) != 4:
        await query.answer(_("That choice is no longer available."), show_alert=True)
        return
    if callback_data.choice is DuplicateChoice.USE:
        text, markup = await render_contact(services, staff, callback_data.contact_id, lang,
                                            note=_("Nothing new was created."))
        await edit_or_send(query, text, markup)
    else:
        await edit(query.message, await _create(services, staff, parts), None)
    await query.answer()


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


async def list_contacts(message: Message, command: CommandObject, services: CrmServices,
                        staff: Staff) -> None:
    search = " ".join((command.args or "").split()) or None
    page = await services.contacts.page(staff, search, size=PAGE_SIZE)
    await message.answer(contacts_text(page, search), reply_markup=list_keyboard(page, search))


async def contacts_page(query: CallbackQuery, callback_data: ContactListCb,
                        services: CrmServices, staff: Staff) -> None:
    search = callback_data.text or None
    page = await services.contacts.page(staff, search, before=callback_data.before,
                                        after=callback_data.after, size=PAGE_SIZE)
    await edit_or_send(query, contacts_text(page, search), list_keyboard(page, search))
    await query.answer()


async def open_contact(query: CallbackQuery, callback_data: ContactCb, services: CrmServices,
                       staff: Staff, lang: str) -> None:
    text, markup = await render_contact(services, staff, callback_data.contact_id, lang)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(text, reply_markup=markup)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(create_contact, Command("contact"))
    router.callback_query.register(answer_duplicate, DuplicateCb.filter(),
                                   StateFilter(ContactDialog.duplicate))
    router.message.register(link_contact, Command("link"))
    router.message.register(list_contacts, Command("contacts"))
    router.callback_query.register(contacts_page, ContactListCb.filter())
    router.callback_query.register(open_contact, ContactCb.filter())
    return router
