"""Buttons of the offer for forwarded messages."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class ForwardAction(enum.IntEnum):
    CREATE_DEAL = 1
    CREATE_LEAD = 2
    ATTACH = 3  # item_id: one of the sender's open items
    ASK_ITEM = 4  # another item: ask its number
    CANCEL = 5
    USE_NAME = 6  # the name Telegram shows for a hidden sender


class ForwardCb(CallbackData, prefix="fw"):
    action: ForwardAction
    item_id: int = 0
