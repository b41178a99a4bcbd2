"""Buttons of leads: the source of a lead created by hand, and converting a lead by hand."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class ConvertStep(enum.IntEnum):
    START = 1       # from the card: begin converting item_id
    CREATE = 2      # value: index into CLIENT_CHOICES, or LINK
    CONTACT = 3     # value: contact id to link
    COMPANY = 4     # value: company id to link
    PIPELINE = 5    # value: deal pipeline id
    ACTIVITIES = 6  # value: 1 keep open, 0 close
    CANCEL = 7

class ConvertCb(CallbackData, prefix="cv"):
    step: ConvertStep
    item_id: int
    value: int = 0

class SourceCb(CallbackData, prefix="ls"):
    """The source of a lead created by hand. value: index into MANUAL_SOURCES."""

    value: int
