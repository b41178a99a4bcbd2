"""The steps of a reminder asked for on an item's card: when, then what about."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class RemindDialog(StatesGroup):
    when = State()  # data: item_id
    text = State()  # data: item_id, due (ISO, UTC)
