"""Buttons of /docs: send a document again (to the one who pressed)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class DocAction(enum.IntEnum):
    SEND = 1


class DocCb(CallbackData, prefix="dc"):
    action: DocAction
    document_id: int
