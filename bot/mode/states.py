"""The steps of the classic → simple switch wizard."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class SwitchDialog(StatesGroup):
    create = State()
    pipeline = State()
    activities = State()
    confirm = State()
