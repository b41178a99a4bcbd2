"""The CRM-mode feature's buttons on an item card: convert an open lead, and the
conversation with the client who wrote to the bot."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.utils.i18n import gettext as _

from bot.inquiries.callbacks import InquiryAction, InquiryCb
from bot.leads.callbacks import ConvertCb, ConvertStep
from crm.models import StageKind
from crm.services.cards import ItemCard


def mode_card_buttons(card: ItemCard) -> list[tuple[str, CallbackData]]:
    item = card.item
    buttons: list[tuple[str, CallbackData]] = []
    if item.type_code == "lead" and card.stage.kind is StageKind.PROGRESS:
        buttons.append((_("🔀 Convert to deal"),
                        ConvertCb(step=ConvertStep.START, item_id=item.id)))
    if card.contact is not None and card.contact.tg_chat_id is not None:
        buttons.append((_("💬 Conversation"),
                        InquiryCb(action=InquiryAction.TIMELINE, item_id=item.id)))
    return buttons
