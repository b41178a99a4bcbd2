"""/hours' questions: FSM data holds the user id whose hours are being set."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class HoursDialog(StatesGroup):
    week = State()     # the days and times, typed
    absence = State()  # an absence's first and last day, typed
