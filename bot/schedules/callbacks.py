"""Buttons of the /schedules list (recurring copies): stop one. Checked again on press."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ScheduleStopCb(CallbackData, prefix="sc"):
    schedule_id: int
