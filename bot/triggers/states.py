"""The dialog that adds a trigger with buttons. FSM data holds ids and plain values only."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class TriggerDialog(StatesGroup):
    """type → pipeline → stage → event → (field → value) → condition → backwards → saved."""

    type = State()
    pipeline = State()
    stage = State()
    event = State()
    field = State()      # a field from the list, or a custom field's name typed
    value = State()      # the value it must change to, typed, or any change
    condition = State()  # typed, or none
    backwards = State()
