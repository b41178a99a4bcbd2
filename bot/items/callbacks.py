"""Buttons of the item card: move to a stage, pick a stage, history, automation status and
stop. The data is checked again when a press arrives (the item may have moved, the user may
have lost the right); aiogram rejects data that does not parse."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class CardAction(enum.IntEnum):
    MOVE = 1        # stage_id, version
    PICK = 2        # show all stages as buttons
    REFRESH = 3
    OPEN = 4        # open (send) a card
    HISTORY = 5
    STATUS = 6      # automation status
    STOP = 7        # stop automation for the item
    BACK = 8        # back from the stage picker

class CardCb(CallbackData, prefix="c"):
    action: CardAction
    item_id: int
    stage_id: int = 0
    version: int = 0
