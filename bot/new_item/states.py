"""The steps of the /new dialog."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class NewItemDialog(StatesGroup):
    type = State()
    pipeline = State()
    title = State()
    amount = State()
    contact = State()
