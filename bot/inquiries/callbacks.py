"""Buttons of client conversations: show the conversation with the client."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class InquiryAction(enum.IntEnum):
    TIMELINE = 1    # show the conversation with the client

class InquiryCb(CallbackData, prefix="iq"):
    action: InquiryAction
    item_id: int
