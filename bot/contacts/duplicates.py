"""The contact step of the /new and lead dialogs: a name like an existing contact's is
answered with the warning and its buttons (use that one / create new anyway); the dialog's
own handler for DuplicateCb then finishes with the contact `chosen_contact` gives."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.common.replies import edit
from bot.contacts.callbacks import DuplicateCb, DuplicateChoice
from bot.contacts.views import duplicates_keyboard, duplicates_text
from crm.container import CrmServices
from crm.models import Staff

TYPED = "contact_typed"


async def offer_existing(message: Message, state: FSMContext, services: CrmServices,
                         name: str) -> bool:
    """True when contacts like `name` exist and the warning was sent (the dialog waits)."""
    duplicates = await services.duplicates.like_name(name)
    if not duplicates:
        return False
    await state.update_data({TYPED: name})
    await message.answer(duplicates_text(name, duplicates),
                         reply_markup=duplicates_keyboard(duplicates))
    return True


async def chosen_contact(message: Message, choice: DuplicateCb, state: FSMContext,
                         services: CrmServices, staff: Staff) -> int:
    """The id of the contact the button chose: the existing one, or the typed one created
    now. The warning loses its buttons and says what was chosen."""
    if choice.choice is DuplicateChoice.USE:
        contact = await services.clients.contact(choice.contact_id)
        await edit(message, _("Taking the existing contact {name}.").format(
            name=escape(contact.name)), None)
        return contact.id
    typed = str((await state.get_data()).get(TYPED, ""))
    contact = await services.clients.create_contact(staff, typed)
    await edit(message, _("Created the new contact #{id} {name}.").format(
        id=contact.id, name=escape(contact.name)), None)
    return contact.id
