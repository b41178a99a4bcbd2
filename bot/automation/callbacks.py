"""Buttons of the automation screens (status and stop are on the card: CardCb)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class TestSendCb(CallbackData, prefix="ts"):
    """Send test mode's rendered messages to the tester's own chat."""

    item_id: int
    stage_id: int
