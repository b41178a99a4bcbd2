"""The step of typing a lost reason (data: item_id, stage_id, version)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class LostReasonDialog(StatesGroup):
    text = State()
