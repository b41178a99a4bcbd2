"""Buttons of the closing questions. Each carries the item's version when it was asked:
the move it makes is refused (StaleCard) if the item changed since."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LostCb(CallbackData, prefix="lr"):
    """A lost reason chosen (reason_id 0: type one)."""

    item_id: int
    stage_id: int
    version: int
    reason_id: int


class ReopenCb(CallbackData, prefix="ro"):
    """Reopen a won item: confirmed."""

    item_id: int
    stage_id: int
    version: int


class LostReasonAdminCb(CallbackData, prefix="lra"):
    """/lostreasons: take a reason off a pipeline's list."""

    reason_id: int
