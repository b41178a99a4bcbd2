"""Buttons of activities: mark one done (on its reminder or on the /activities list), snooze
a reminder; and the reminder asked for on an item's card (⏰ Remind). Ids only: the service
checks each press again (who may act, whether the activity is still open)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class ActivityAction(enum.IntEnum):
    DONE = 1
    SNOOZE_HOUR = 2     # +1 h from the press
    SNOOZE_MORNING = 3  # the next working day's opening

class ActivityCb(CallbackData, prefix="ac"):
    action: ActivityAction
    activity_id: int
    listing: int = 0  # 1: pressed on the /activities list (shown again after the press)

SNOOZES = {"hour": ActivityAction.SNOOZE_HOUR, "morning": ActivityAction.SNOOZE_MORNING}


def activity_done_data(activity_id: int) -> str:
    return ActivityCb(action=ActivityAction.DONE, activity_id=activity_id).pack()


def activity_button_data(activity_id: int, snooze: str | None = None) -> str:
    """An activity's button as the outbox queued it: done, or a snooze ("hour", "morning")."""
    action = SNOOZES.get(snooze or "", ActivityAction.DONE)
    return ActivityCb(action=action, activity_id=activity_id).pack()


class RemindStep(enum.IntEnum):
    ASK = 1     # the card's ⏰ button: ask when
    PRESET = 2  # a preset time (`preset`: index into views.REMIND_PRESETS)
    SKIP = 3    # no text: the default subject

class RemindCb(CallbackData, prefix="rm"):
    step: RemindStep
    item_id: int
    preset: int = 0


def remind_button_data(item_id: int) -> str:
    return RemindCb(step=RemindStep.ASK, item_id=item_id).pack()
