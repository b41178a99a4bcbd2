"""Round-robin among the active members of a role: whose turn it is, and taking it.

The turn goes to the active member with the next higher user id after the one who got the
last item (wrapping around); members who joined or left in between simply take part or
not. The last one is kept in the database, so a restart does not start the round again.
"""

from __future__ import annotations

from datetime import datetime

from crm.models import Role, Staff
from crm.storage.unit_of_work import UnitOfWork


async def next_in_role(uow: UnitOfWork, role: Role) -> Staff | None:
    """Whose turn it is (None: the role has no active member). Reading does not take it."""
    members = sorted((s for s in await uow.staff.list_active() if s.role is role),
                     key=lambda s: s.user_id)
    if not members:
        return None
    last = await uow.rotation.last(role)
    return next((s for s in members if last is None or s.user_id > last), members[0])


async def take_turn(uow: UnitOfWork, role: Role, user_id: int, now: datetime) -> None:
    await uow.rotation.record(role, user_id, now)
