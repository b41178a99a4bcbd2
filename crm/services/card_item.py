"""What a card extra (CardService.add_extra) reads for: the item of the card being read."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from crm.models import Item


@dataclass(frozen=True, slots=True)
class CardItem:
    """The card's item: its id at once, so that an extra's reads by id go with the item's
    own (one round trip on PostgreSQL); the item itself, once read, when it needs more."""

    id: int
    _reading: asyncio.Future[Item]

    async def item(self) -> Item:
        return await asyncio.shield(self._reading)
