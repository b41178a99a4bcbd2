"""Buttons of activities: mark one done (on its reminder or on the /activities list)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class ActivityAction(enum.IntEnum):
    DONE = 1

class ActivityCb(CallbackData, prefix="ac"):
    action: ActivityAction
    activity_id: int
    listing: int = 0  # 1: pressed on the /activities list (shown again after the press)

def activity_done_data(activity_id: int) -> str:
    return ActivityCb(action=ActivityAction.DONE, activity_id=activity_id).pack()
