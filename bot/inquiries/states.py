"""The step of renaming an inquiry's item from its notification (✏️ Rename)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class RenameInquiry(StatesGroup):
    title = State()  # data: item_id
