"""Buttons of /docs and under documents sent to staff: send a document again (to the one
who pressed), or to the item's client."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class DocAction(enum.IntEnum):
    SEND = 1
    TO_CLIENT = 2


class DocCb(CallbackData, prefix="dc"):
    action: DocAction
    document_id: int
