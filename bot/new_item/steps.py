"""Steps the /new dialog and the lead dialog share: the title, asking for the contact, and
showing the card of the item just created."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.clients.invite import start_link_offer
from bot.items.presenter import render_card
from bot.new_item.views import skip_keyboard
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff


async def take_title(message: Message, state: FSMContext, amount_state: State) -> None:
    """Keeps the typed title and asks for the amount; a title too long is asked for again."""
    title = (message.text or "").strip()
    if len(title) > 200:
        await message.answer(_("That title is too long (at most 200 characters). Try again."))
        return
    await state.update_data(title=title)
    await state.set_state(amount_state)
    await message.answer(_("Amount? e.g. 15.000 EUR — or skip."), reply_markup=skip_keyboard())


async def ask_contact(message: Message, state: FSMContext, contact_state: State) -> None:
    await state.set_state(contact_state)
    await message.answer(_("Contact name? — or skip."), reply_markup=skip_keyboard())


async def show_created(message: Message, services: CrmServices, staff: Staff, lang: str,
                       settings: Settings, item_id: int) -> None:
    note, share = _("Created."), None
    await services.cards.settled(item_id)  # the card shows what the rules due at once did
    offer = await start_link_offer(message, services, staff, settings, item_id)
    if offer is not None:  # the contact never wrote to the bot: their start link, to share
        note, share = f"{note}\n\n{offer[0]}", offer[1]
    text, markup = await render_card(services, staff, item_id, lang, settings, note=note)
    if share is not None:
        markup.inline_keyboard.append([share])
    await message.answer(text, reply_markup=markup)
