"""A contact's card, loaded and rendered: for /contacts, its buttons and /edit c<id>."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup

from bot.contacts.views import card_keyboard, card_text
from crm.container import CrmServices
from crm.models import Staff


async def render_contact(services: CrmServices, staff: Staff, contact_id: int, lang: str,
                         note: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    card = await services.contacts.card(staff, contact_id)
    text = card_text(card, await services.catalog.types(include_hidden=True),
                     await services.catalog.all_stages(), lang, note=note)
    return text, card_keyboard(card)


def contact_ref(word: str) -> int | None:
    """The contact a word like `c5` (or `k5`, `#c5`) names, else None."""
    word = word.strip().lstrip("#").lower()
    if len(word) > 1 and word[0] in "ck" and word[1:].isdigit() and len(word) < 19:
        return int(word[1:])
    return None
