"""Buttons of the team list: role, the settings right, removal (checked again by the service)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class StaffAction(enum.IntEnum):
    ROLE = 1        # role: index into Role
    SETTINGS = 2    # toggle "can edit settings"
    REMOVE = 3

class StaffCb(CallbackData, prefix="s"):
    action: StaffAction
    user_id: int
    value: int = 0
