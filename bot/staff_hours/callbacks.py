"""Buttons under /hours: back to the company's hours, delete an absence."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class HoursAction(enum.IntEnum):
    COMPANY = 1  # the person's own hours are removed: the company's apply
    DELETE_ABSENCE = 2


class HoursCb(CallbackData, prefix="hr"):
    action: HoursAction
    user_id: int
    absence_id: int = 0
