"""Staff: who is known to the bot, with which role, and how new staff join."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from crm.access import require_admin
from crm.clock import Clock
from crm.errors import Conflict, Entity, InviteInvalid, InviteProblem, NotFound
from crm.events import StaffJoined
from crm.models import Invite, Role, Staff
from crm.storage.unit_of_work import UnitOfWorkFactory
from crm.text import one_line

INVITE_TTL = timedelta(days=7)


@dataclass(slots=True)
class TelegramUser:
    user_id: int
    name: str
    username: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        self.name = one_line(self.name) or str(self.user_id)  # as Telegram lets people write it


class StaffService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, admin_ids: Iterable[int]) -> None:
        self._uow = uow
        self._clock = clock
        self._admin_ids = frozenset(admin_ids)

    async def identify(self, user_id: int) -> Staff | None:
        """The active staff member behind a Telegram user, or None for a client."""
        async with self._uow(write=False) as uow:
            staff = await uow.staff.get(user_id)
        if staff is not None and staff.active:
            return staff
        return None

    async def start(self, user: TelegramUser) -> Staff | None:
        """On /start: configured admins become admins; known staff are returned."""
        async with self._uow() as uow:
            staff = await uow.staff.get(user.user_id)
            if user.user_id in self._admin_ids and (staff is None or not staff.is_admin
                                                    or not staff.active):
                staff = Staff(user.user_id, user.name, Role.ADMIN, username=user.username,
                              language=None, joined_at=self._clock.now())
                await uow.staff.save(staff)
                await uow.commit()
                return staff
        return staff if staff is not None and staff.active else None

    async def create_invite(self, actor: Staff, role: Role) -> Invite:
        require_admin(actor)
        now = self._clock.now()
        invite = Invite(code=secrets.token_urlsafe(12), role=role, created_by=actor.user_id,
                        created_at=now, expires_at=now + INVITE_TTL)
        async with self._uow() as uow:
            await uow.staff.add_invite(invite)
            await uow.commit()
        return invite

    async def join(self, user: TelegramUser, code: str) -> Staff:
        now = self._clock.now()
        async with self._uow() as uow:
            invite = await uow.staff.get_invite(code)
            if invite is None:
                raise InviteInvalid(InviteProblem.UNKNOWN)
            if invite.expires_at <= now:
                raise InviteInvalid(InviteProblem.EXPIRED)
            existing = await uow.staff.get(user.user_id)
            if existing is not None and existing.active:
                raise Conflict(what=Entity.STAFF, ref=user.user_id)
            if not await uow.staff.use_invite(code, user.user_id, now):
                raise InviteInvalid(InviteProblem.USED)
            staff = Staff(user.user_id, user.name, invite.role, username=user.username,
                          joined_at=now)
            await uow.staff.save(staff)
            await uow.publish(StaffJoined(staff.user_id, staff.name, staff.role.value,
                                          invite.created_by, now))
            await uow.commit()
        return staff

    async def list(self, actor: Staff | None) -> list[Staff]:
        async with self._uow(write=False) as uow:
            return await uow.staff.list_active()

    async def set_role(self, actor: Staff, user_id: int, role: Role) -> Staff:
        return await self._change(actor, user_id, role=role)

    async def set_settings_right(self, actor: Staff, user_id: int, allowed: bool) -> Staff:
        return await self._change(actor, user_id, can_edit_settings=allowed)

    async def remove(self, actor: Staff, user_id: int) -> Staff:
        return await self._change(actor, user_id, active=False)

    async def set_language(self, actor: Staff, language: str) -> Staff:
        async with self._uow() as uow:
            staff = await uow.staff.get(actor.user_id)
            if staff is None:
                raise NotFound(what=Entity.STAFF, ref=actor.user_id)
            staff.language = language
            await uow.staff.save(staff)
            await uow.commit()
        return staff

    async def _change(
        self, actor: Staff, user_id: int, *, role: Role | None = None,
        can_edit_settings: bool | None = None, active: bool | None = None,
    ) -> Staff:
        require_admin(actor)
        async with self._uow() as uow:
            staff = await uow.staff.get(user_id)
            if staff is None or not staff.active:
                raise NotFound(what=Entity.STAFF, ref=user_id)
            losing_admin = staff.is_admin and (active is False or (role and role != Role.ADMIN))
            if losing_admin:
                admins = [s for s in await uow.staff.list_active() if s.is_admin]
                if len(admins) <= 1:
                    raise Conflict(what=Entity.LAST_ADMIN, ref=user_id)
            if role is not None:
                staff.role = role
            if can_edit_settings is not None:
                staff.can_edit_settings = can_edit_settings
            if active is not None:
                staff.active = active
            await uow.staff.save(staff)
            await uow.commit()
        return staff
