"""Team chats: the bot joins a group (added by staff) or leaves it."""

from __future__ import annotations

from crm.clock import Clock
from crm.models import Staff, TeamChat
from crm.storage.unit_of_work import UnitOfWorkFactory


class TeamChatService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def joined(self, chat_id: int, title: str, added_by: Staff | None) -> TeamChat | None:
        """The bot was added to a group. Only a group a staff member added becomes a team
        chat, so that strangers cannot make rules post CRM data into their group."""
        if added_by is None:
            return None
        chat = TeamChat(chat_id, title, True, added_by.user_id, self._clock.now())
        async with self._uow() as uow:
            await uow.team_chats.save(chat)
            await uow.commit()
        return chat

    async def left(self, chat_id: int) -> None:
        async with self._uow() as uow:
            repo = uow.team_chats
            chat = await repo.get(chat_id)
            if chat is not None:
                chat.active = False
                await repo.save(chat)
                await uow.commit()

    async def list(self) -> list[TeamChat]:
        async with self._uow(write=False) as uow:
            return await uow.team_chats.list_active()
