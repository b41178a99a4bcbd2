"""Buttons of activities, client buttons and triggers.

A client button carries only its random token: the press counts only from the chat the
button was sent to (checked by the service), so other clients cannot forge one.
"""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class ActivityAction(enum.IntEnum):
    DONE = 1


class ActivityCb(CallbackData, prefix="ac"):
    action: ActivityAction
    activity_id: int
    listing: int = 0  # 1: pressed on the /activities list (shown again after the press)


class ClientButtonCb(CallbackData, prefix="cb"):
    token: int


class TriggerAction(enum.IntEnum):
    DELETE = 1


class TriggerCb(CallbackData, prefix="tr"):
    action: TriggerAction
    trigger_id: int


def activity_done_data(activity_id: int) -> str:
    return ActivityCb(action=ActivityAction.DONE, activity_id=activity_id).pack()


def client_button_data(token: int) -> str:
    return ClientButtonCb(token=token).pack()
