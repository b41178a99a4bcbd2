"""Buttons under /hours: change the hours, add an absence, back to the company's hours,
delete an absence."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class HoursAction(enum.IntEnum):
    COMPANY = 1  # the person's own hours are removed: the company's apply
    DELETE_ABSENCE = 2
    ASK_WEEK = 3  # asks for the days and times, typed
    ASK_ABSENCE = 4  # asks for an absence's days, typed


class HoursCb(CallbackData, prefix="hr"):
    action: HoursAction
    user_id: int
    absence_id: int = 0
