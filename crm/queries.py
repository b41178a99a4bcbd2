"""What a list or search of items asks for, and the page it gets: the storage layer turns
the one into its query and answers with the other."""

from __future__ import annotations

from dataclasses import dataclass, field

from crm.models import Item

# Counts stop here: a page says "more than 1,000" rather than count a million rows.
COUNT_CAP = 1000


@dataclass(slots=True)
class ItemQuery:
    """What a list or search asks for. `visible_to` limits to a salesperson's items.

    Pages go by id, newest first (keyset): `before` asks for the page of items older than
    that id (the last one shown), `after` for the page of items newer than that id (the
    first one shown); neither: the first page."""

    type_code: str | None = None
    stage_id: int | None = None
    responsible_id: int | None = None
    visible_to: int | None = None
    open_only: bool = False
    text: str | None = None
    before: int | None = None
    after: int | None = None
    limit: int = 10


@dataclass(slots=True)
class ItemPage:
    """One page of a list. Counts are exact up to COUNT_CAP; past it `total` is COUNT_CAP
    and `more_than_total` is set (and `above` is None when it would be past it)."""

    items: list[Item] = field(default_factory=list)
    total: int = 0
    more_than_total: bool = False
    above: int | None = 0        # items listed before this page (newer ones)
    has_newer: bool = False      # a page before this one
    has_older: bool = False      # a page after this one

    @property
    def first_position(self) -> int | None:
        """The position of the page's first item in the whole list (1 for the first page)."""
        return None if self.above is None else self.above + 1
