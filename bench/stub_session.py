"""An aiogram session that answers every Bot API call in-process, with no HTTP: what the
benchmarks use on both sides so that they measure the bot, not the network."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, User

BOT_USER = User(id=42, is_bot=True, first_name="CRM", username="crm_bot")


class StubSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self._message_id = 0

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType],
                           timeout: int | None = None,  # noqa: ASYNC109 - aiogram API
                           ) -> TelegramType:
        self.calls += 1
        result: Any = True
        name = type(method).__name__
        if name == "GetMe":
            result = BOT_USER
        elif name in ("SendMessage", "EditMessageText", "SendDocument", "SendPhoto"):
            result = self._message(method)
        elif name == "GetUpdates":
            result = []
        return result  # type: ignore[no-any-return]

    def _message(self, method: Any) -> Message:
        self._message_id += 1
        chat_id = int(getattr(method, "chat_id", 0) or 0)
        return Message(message_id=getattr(method, "message_id", None) or self._message_id,
                       date=datetime.now(UTC), chat=Chat(id=chat_id, type="private"),
                       from_user=BOT_USER, text=getattr(method, "text", None))

    def stream_content(self, url: str, headers: dict[str, Any] | None = None,
                       timeout: int = 30, chunk_size: int = 65536,
                       raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        raise NotImplementedError("the benchmarks download nothing")

    async def close(self) -> None:
        pass
