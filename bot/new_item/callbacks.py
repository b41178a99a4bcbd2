"""Buttons of the /new dialog: the item type, the pipeline, skipping a question."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class NewStep(enum.IntEnum):
    TYPE = 1
    PIPELINE = 2
    SKIP = 3

class NewCb(CallbackData, prefix="n"):
    step: NewStep
    value: int = 0
