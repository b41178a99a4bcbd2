"""Team chats: groups the bot is a member of."""

from __future__ import annotations

from typing import Any

from crm.models import TeamChat
from crm.storage.codec import parse_ts, ts
from crm.storage.connection import Connection


def _chat(row: Any) -> TeamChat:
    return TeamChat(chat_id=row["chat_id"], title=row["title"], active=bool(row["active"]),
                    added_by=row["added_by"], added_at=parse_ts(row["added_at"]))


class TeamChatRepo:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    async def get(self, chat_id: int) -> TeamChat | None:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM team_chats WHERE chat_id = ?", (chat_id,))
        return next((_chat(r) for r in rows), None)

    async def list_active(self) -> list[TeamChat]:
        rows = await self._conn.execute_fetchall(
            "SELECT * FROM team_chats WHERE active = 1 ORDER BY title")
        return [_chat(r) for r in rows]

    async def save(self, chat: TeamChat) -> None:
        await self._conn.execute(
            """INSERT INTO team_chats (chat_id, title, active, added_by, added_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET
                 title = excluded.title, active = excluded.active""",
            (chat.chat_id, chat.title, int(chat.active), chat.added_by, ts(chat.added_at)))
