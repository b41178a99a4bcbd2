"""Buttons of a pipeline's stage list: move a stage up or down, change its kind."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class StageAction(enum.IntEnum):
    UP = 1
    DOWN = 2
    KIND = 3        # value: index into StageKind

class StageCb(CallbackData, prefix="g"):
    action: StageAction
    stage_id: int
    value: int = 0
