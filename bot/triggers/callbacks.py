"""Buttons of the /triggers list: delete one."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class TriggerAction(enum.IntEnum):
    DELETE = 1

class TriggerCb(CallbackData, prefix="tr"):
    action: TriggerAction
    trigger_id: int
