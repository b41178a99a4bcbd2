"""Everything the fake Telegram knows: chats, messages, files, updates and the bot's history."""

from __future__ import annotations

import itertools
import mimetypes
import time
from collections.abc import Callable
from typing import Any

from . import builders
from .errors import TelegramError, chat_not_found
from .faults import FailureRule, RateLimiter, ReplyHold
from .records import ApiCall, SentMessage, StoredFile, Toast
from .updates import Signal, UpdateQueue

# A message in a chat is either a bot message record or the raw dict of a user's message.
ChatMessage = SentMessage | dict[str, Any]


class TelegramState:
    def __init__(
        self,
        token: str,
        bot_first_name: str,
        bot_username: str,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.now = now  # wall clock for message dates; tests may pass a frozen one
        self.bot_user = builders.bot_user_dict(int(token.split(":")[0]), bot_first_name,
                                               bot_username)
        self.updates = UpdateQueue()
        self.changed = Signal()  # fired on every API call, for wait_for_* helpers
        # Registries.
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.admins: dict[int, set[int]] = {}  # group chat id -> admin user ids
        self.messages: dict[tuple[int, int], ChatMessage] = {}
        self.files: dict[str, StoredFile] = {}
        self._last_message_id: dict[int, int] = {}
        self._ids = itertools.count(1)
        # What the bot did.
        self.calls: list[ApiCall] = []
        self.sent: list[SentMessage] = []
        self.toasts: list[Toast] = []
        self.commands: dict[tuple[str, str | None], list[dict[str, str]]] = {}
        self.descriptions: dict[tuple[str, str | None], str] = {}  # (kind, lang) -> text
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}
        self.deleted: list[tuple[int, int]] = []
        self.open_queries: set[str] = set()
        self.webhook_url = ""
        self.webhook_params: dict[str, Any] = {}  # the setWebhook that set webhook_url
        # Failure injection.
        self.failures: list[FailureRule] = []
        self.holds: list[ReplyHold] = []
        self.blocked: set[int] = set()
        self.limiter: RateLimiter | None = None
        # Activity tracking for wait_until_idle.
        self.inflight = 0
        self.last_activity = time.monotonic()

    # --- ids and time -------------------------------------------------------------

    def date(self) -> int:
        return int(self.now())

    def new_id(self) -> int:
        return next(self._ids)

    def next_message_id(self, chat_id: int) -> int:
        # Private chats share one id sequence between user and bot, like Telegram.
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        return message_id

    # --- chats ----------------------------------------------------------------------

    def add_user(self, user: dict[str, Any]) -> None:
        self.users[user["id"]] = user
        self.chats[user["id"]] = builders.private_chat(user)

    def add_chat(self, chat: dict[str, Any]) -> None:
        self.chats[chat["id"]] = chat

    def learn_from_update(self, update: dict[str, Any]) -> None:
        """Register chats/users seen in a raw update so the bot may answer them."""
        for payload in update.values():
            if not isinstance(payload, dict):
                continue
            message = payload.get("message", payload)
            chat = message.get("chat") if isinstance(message, dict) else None
            if isinstance(chat, dict) and "id" in chat:
                self.chats.setdefault(chat["id"], chat)
            sender = payload.get("from")
            if isinstance(sender, dict) and "id" in sender and not sender.get("is_bot"):
                self.users.setdefault(sender["id"], sender)
                self.chats.setdefault(sender["id"], builders.private_chat(sender))

    def resolve_chat(self, chat_id: Any) -> dict[str, Any]:
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            for chat in self.chats.values():
                if chat.get("username", "").lower() == chat_id[1:].lower():
                    return chat
            raise chat_not_found()
        try:
            return self.chats[int(chat_id)]
        except (KeyError, TypeError, ValueError):
            raise chat_not_found() from None

    def chat_type(self, chat_id: Any) -> str | None:
        try:
            chat_type: str = self.resolve_chat(chat_id)["type"]
            return chat_type
        except TelegramError:  # unknown chat: the handler will answer "chat not found"
            return None

    # --- messages and files -------------------------------------------------------

    def store_user_message(self, message: dict[str, Any]) -> None:
        self.messages[(message["chat"]["id"], message["message_id"])] = message

    def store_sent(self, record: SentMessage) -> None:
        self.messages[(record.chat_id, record.message_id)] = record
        self.sent.append(record)

    def message_json(self, message: ChatMessage, *, nested: bool = True) -> dict[str, Any]:
        """The Message object as Telegram would send it now (bot messages as last edited)."""
        if isinstance(message, dict):
            return {k: v for k, v in message.items() if nested or k != "reply_to_message"}
        reply_to = None
        target = self.messages.get((message.chat_id, message.reply_to_message_id or 0))
        if nested and target is not None:
            reply_to = self.message_json(target, nested=False)
        stored = self.files.get(message.file_id or "")
        chat = self.chats[message.chat_id]
        return builders.sent_message_dict(message, chat, self.bot_user, stored, reply_to)

    def store_file(
        self, content: bytes | None, file_name: str | None, mime_type: str | None, folder: str
    ) -> StoredFile:
        number = self.new_id()
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        suffix = "." + file_name.rsplit(".", 1)[1] if file_name and "." in file_name else ""
        stored = StoredFile(
            file_id=f"FAKE-FILE-{number:06d}",
            file_unique_id=f"U{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    # --- bookkeeping --------------------------------------------------------------

    def touch(self) -> None:
        self.last_activity = time.monotonic()
        self.changed.fire()
