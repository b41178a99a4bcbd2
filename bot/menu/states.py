"""The menu's one dialog step: 🔎 Search waits for what to look for."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class MenuDialog(StatesGroup):
    search = State()
