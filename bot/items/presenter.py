"""Loads an item card and renders it: shared by every feature that shows a card."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.board.buttons import with_board_button
from bot.common.formatting import escape, localized
from bot.items.card import card_keyboard, card_text
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff, Stage
from crm.services.cards import ItemCard


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
    markup = card_keyboard(card, lang, picking=picking)
    if picking:
        return text, markup
    # the board at this item (with WEBAPP_URL; private chats only: bot/board/buttons.py)
    return text, with_board_button(markup, settings, pipeline=card.item.pipeline_id,
                                   item=card.item.id)


def move_note(to_stage: Stage, lang: str) -> str:
    """Under a moved card: where it went (what its rules do is on every card)."""
    return _("Moved to “{stage}”.").format(stage=escape(localized(to_stage, lang)))
