"""Buttons of client conversations: show the conversation with the client, take the
inquiry, rename its item, keep a phone number from the client's message."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class InquiryAction(enum.IntEnum):
    TIMELINE = 1    # show the conversation with the client
    TAKE = 2        # 🙋 the presser becomes responsible (bot/inquiries/desk.py)
    RENAME = 3      # ✏️ a new title for the item

class InquiryCb(CallbackData, prefix="iq"):
    action: InquiryAction
    item_id: int


class InquiryPhoneCb(CallbackData, prefix="iqp"):
    """📞 Save a number of the client's message as their contact's phone (E.164)."""

    item_id: int
    number: str
