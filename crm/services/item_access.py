"""An item read for someone: found, and theirs to see (crm/access.py), or a domain error."""

from __future__ import annotations

from crm.access import require_item_access
from crm.errors import Entity, NotFound
from crm.models import Item, Staff
from crm.storage.unit_of_work import UnitOfWork


async def visible_item(uow: UnitOfWork, actor: Staff | None, item_id: int) -> Item:
    """The item without its products; `actor` None: the system itself (no access check)."""
    item = await uow.items.get(item_id, with_products=False)
    if item is None:
        raise NotFound(what=Entity.ITEM, ref=item_id)
    if actor is not None:
        require_item_access(actor, item)
    return item
