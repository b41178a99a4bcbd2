"""Inline-button data of the menu feature: the /help groups."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class HelpCb(CallbackData, prefix="hlp"):
    group: str  # a HelpGroup
