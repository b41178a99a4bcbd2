"""Buttons of the pipeline overview: which pipeline, whose items."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class OverviewCb(CallbackData, prefix="ov"):
    pipeline_id: int
    team: int = 0  # 1: the whole team's open items (managers, admins); 0: my own
