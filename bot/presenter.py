"""Loads an item card and renders it: shared by every feature that shows a card."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.formatting import escape, localized
from bot.settings import Settings
from bot.views.card import card_keyboard, card_text
from bot.views.status import brief_text
from crm.container import CrmServices
from crm.models import Staff, Stage
from crm.services.cards import ItemCard
from rules.container import Automation


async def render_card(
    services: CrmServices, staff: Staff, item_id: int, lang: str, settings: Settings,
    note: str | None = None, picking: bool = False,
) -> tuple[str, InlineKeyboardMarkup]:
    card = await services.cards.card(staff, item_id)
    return present(card, lang, settings, note=note, picking=picking)


def present(card: ItemCard, lang: str, settings: Settings, note: str | None = None,
            picking: bool = False) -> tuple[str, InlineKeyboardMarkup]:
    """A card already loaded (e.g. by the move that changed it), as text and buttons."""
    text = card_text(card, lang, settings.timezone, note=note)
    return text, card_keyboard(card, lang, picking=picking)


async def move_note(automation: Automation, item_id: int, to_stage: Stage, lang: str,
                    settings: Settings) -> str:
    """Under a moved card: where it went, and what that stage's rules did or scheduled."""
    note = _("Moved to “{stage}”.").format(stage=escape(localized(to_stage, lang)))
    brief = brief_text(await automation.status.brief(item_id), lang, settings.timezone)
    return f"{note}\n{brief}" if brief else note
