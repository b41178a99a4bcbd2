"""Buttons of an item list page: filters and paging (keyset: before/after an item id)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ListCb(CallbackData, prefix="l"):
    mine: int = 0       # 1: only my items
    type_pos: int = 0   # position of the entity type; 0: all types
    stage_id: int = 0   # 0: all stages
    before: int = 0     # the page of items older than this id (▶); 0: the first page
    after: int = 0      # the page of items newer than this id (◀)
    closed: int = 0     # 1: closed items (success, failure stages) too; 0: open ones only
