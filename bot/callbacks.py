"""Every inline button's data: short prefixes, an action enum and integer ids only.

The data is checked again when a press arrives (the item may have moved, the user may
have lost the right); aiogram rejects data that does not parse.
"""

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


class ListCb(CallbackData, prefix="l"):
    mine: int = 0       # 1: only my items
    type_pos: int = 0   # position of the entity type; 0: all types
    stage_id: int = 0   # 0: all stages
    before: int = 0     # the page of items older than this id (▶); 0: the first page
    after: int = 0      # the page of items newer than this id (◀)


class NewStep(enum.IntEnum):
    TYPE = 1
    PIPELINE = 2
    SKIP = 3


class NewCb(CallbackData, prefix="n"):
    step: NewStep
    value: int = 0


class StaffAction(enum.IntEnum):
    ROLE = 1        # role: index into Role
    SETTINGS = 2    # toggle "can edit settings"
    REMOVE = 3


class StaffCb(CallbackData, prefix="s"):
    action: StaffAction
    user_id: int
    value: int = 0


class StageAction(enum.IntEnum):
    UP = 1
    DOWN = 2
    KIND = 3        # value: index into StageKind


class StageCb(CallbackData, prefix="g"):
    action: StageAction
    stage_id: int
    value: int = 0
