"""What a list or search of items asks for: the storage layer turns it into its query."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class ItemQuery:
    """What a list or search asks for. `visible_to` limits to a salesperson's items."""

    type_code: str | None = None
    stage_id: int | None = None
    responsible_id: int | None = None
    visible_to: int | None = None
    open_only: bool = False
    text: str | None = None
    offset: int = 0
    limit: int = 10
