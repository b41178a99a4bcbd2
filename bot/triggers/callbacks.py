"""Buttons of the /triggers list (delete one, add one) and of the dialog that adds one."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class TriggerAction(enum.IntEnum):
    DELETE = 1
    NEW = 2  # starts the guided dialog (bot/triggers/dialog.py)


class TriggerCb(CallbackData, prefix="tr"):
    action: TriggerAction
    trigger_id: int


class DialogStep(enum.IntEnum):
    TYPE = 1        # value: the type's position
    PIPELINE = 2    # value: pipeline id
    STAGE = 3       # value: stage id
    EVENT = 4       # value: index into EVENT_CHOICES
    FIELD = 5       # value: index into FIELD_CHOICES
    ANY_VALUE = 6   # a field's change to any value
    NO_CONDITION = 7
    BACKWARDS = 8   # value: 1 also to an earlier stage, 0 forward only


class TriggerDialogCb(CallbackData, prefix="trd"):
    step: DialogStep
    value: int = 0
