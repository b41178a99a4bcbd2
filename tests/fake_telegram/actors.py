"""Simulated people and groups: each action enqueues the update Telegram would deliver."""

from __future__ import annotations

from typing import Any

from . import builders
from .formatting import command_entities
from .records import SentMessage
from .state import ChatMessage, TelegramState


def _post(state: TelegramState, sender: dict[str, Any], chat_id: int, **content: Any) -> int:
    """Store a message from ``sender`` in ``chat_id`` and enqueue it as a message update."""
    message = {
        "message_id": state.next_message_id(chat_id),
        "from": sender,
        "chat": state.chats[chat_id],
        "date": state.date(),
        **content,
    }
    state.store_user_message(message)
    return state.updates.push({"message": message})


def _text(text: str) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if entities := command_entities(text):
        content["entities"] = entities
    return content


def _member_update(
    state: TelegramState, chat: dict[str, Any], by: dict[str, Any], old: str, new: str
) -> int:
    """my_chat_member: the bot's own membership changed (blocked, kicked, added)."""
    payload = {
        "chat": chat, "from": by, "date": state.date(),
        "old_chat_member": builders.chat_member(state.bot_user, old),
        "new_chat_member": builders.chat_member(state.bot_user, new),
    }
    return state.updates.push({"my_chat_member": payload})


class FakeUser:
    def __init__(self, state: TelegramState, user: dict[str, Any]) -> None:
        self.state = state
        self.data = user  # the User object as it appears in updates

    @property
    def id(self) -> int:
        user_or_chat_id: int = self.data["id"]
        return user_or_chat_id

    def send(self, text: str, *, chat_id: int | None = None) -> int:
        """A text message in the private chat (or ``chat_id``); returns the update_id."""
        return _post(self.state, self.data, chat_id or self.id, **_text(text))

    def send_document(
        self,
        file_name: str,
        content: bytes,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
        chat_id: int | None = None,
    ) -> int:
        stored = self.state.store_file(content, file_name, mime_type, "documents")
        extra: dict[str, Any] = {"document": builders.document_dict(stored)}
        if caption is not None:
            extra["caption"] = caption
        return _post(self.state, self.data, chat_id or self.id, **extra)

    def send_photo(
        self, content: bytes, caption: str | None = None, *, chat_id: int | None = None
    ) -> int:
        stored = self.state.store_file(content, "photo.jpg", "image/jpeg", "photos")
        extra: dict[str, Any] = {"photo": builders.photo_sizes(stored)}
        if caption is not None:
            extra["caption"] = caption
        return _post(self.state, self.data, chat_id or self.id, **extra)

    def send_media(
        self, kind: str, content: bytes = b"media", caption: str | None = None, *,
        file_name: str | None = None, mime_type: str | None = None, chat_id: int | None = None,
    ) -> int:
        """A voice note, video, video note or audio (``kind`` as the Message field)."""
        folders = {"voice": "voice", "video": "videos", "video_note": "video_notes",
                   "audio": "music"}
        stored = self.state.store_file(content, file_name, mime_type, folders[kind])
        extra: dict[str, Any] = builders.media_dict(kind, stored)
        if caption is not None and kind != "video_note":
            extra["caption"] = caption
        return _post(self.state, self.data, chat_id or self.id, **extra)

    def send_voice(self, content: bytes = b"OggS voice", caption: str | None = None) -> int:
        return self.send_media("voice", content, caption, mime_type="audio/ogg")

    def send_contact(
        self, phone_number: str, first_name: str, last_name: str | None = None, *,
        user_id: int | None = None, own: bool = False,
    ) -> int:
        """A shared contact; ``own``: the user's own (Telegram names their user id)."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name:
            contact["last_name"] = last_name
        if own or user_id is not None:
            contact["user_id"] = self.id if own else user_id
        return _post(self.state, self.data, self.id, contact=contact)

    def forward(
        self, text: str | None = None, *, sender: FakeUser | None = None,
        hidden_name: str | None = None, photo: bytes | None = None,
        caption: str | None = None, chat_id: int | None = None,
    ) -> int:
        """A message forwarded into the chat: from ``sender`` (a user), or from someone who
        hides their account (``hidden_name``, as Telegram shows it); a text or a photo."""
        if sender is not None:
            origin: dict[str, Any] = {"type": "user", "date": self.state.date() - 60,
                                      "sender_user": sender.data}
        else:
            origin = {"type": "hidden_user", "date": self.state.date() - 60,
                      "sender_user_name": hidden_name or "Hidden"}
        content: dict[str, Any] = {"forward_origin": origin}
        if photo is not None:
            stored = self.state.store_file(photo, "photo.jpg", "image/jpeg", "photos")
            content["photo"] = builders.photo_sizes(stored)
            if caption is not None:
                content["caption"] = caption
        else:
            content["text"] = text or ""
        return _post(self.state, self.data, chat_id or self.id, **content)

    def reply_to(self, message: ChatMessage, text: str) -> int:
        """A reply (reply_to_message set) in the chat where ``message`` is."""
        chat_id = message.chat_id if isinstance(message, SentMessage) else message["chat"]["id"]
        reply_to = self.state.message_json(message, nested=False)
        return _post(self.state, self.data, chat_id, reply_to_message=reply_to, **_text(text))

    def press(self, message: SentMessage, callback_data: str, *, strict: bool = True) -> str:
        """Press an inline button; returns the callback query id.

        ``strict`` checks that the message still exists and has a button with this data;
        pass ``strict=False`` to simulate stale or forged callback data.
        """
        if strict and (message.deleted or callback_data not in message.callback_datas):
            raise AssertionError(
                f"no button with callback_data {callback_data!r} on message "
                f"{message.message_id} in chat {message.chat_id} (deleted={message.deleted}); "
                f"buttons: {message.buttons}. Pass strict=False to send it anyway."
            )
        query_id = str(7_000_000_000_000_000 + self.state.new_id())
        self.state.open_queries.add(query_id)
        query = {
            "id": query_id,
            "from": self.data,
            "message": self.state.message_json(message),
            "chat_instance": str(abs(message.chat_id) * 7 + 1_000_000_000),  # stable per chat
            "data": callback_data,
        }
        self.state.updates.push({"callback_query": query})
        return query_id

    def press_button(self, message: SentMessage, text_contains: str) -> str:
        """Press the inline button whose text equals or contains ``text_contains``."""
        text, data = message.find_button(text_contains)
        if data is None or data not in message.callback_datas:
            raise AssertionError(f"button {text!r} is not an inline callback button; "
                                 f"buttons: {message.buttons}")
        return self.press(message, data)

    def block_bot(self) -> int:
        """The user blocks the bot: sends now fail with 403, and the bot gets my_chat_member."""
        self.state.blocked.add(self.id)
        chat = self.state.chats[self.id]
        return _member_update(self.state, chat, self.data, "member", "kicked")

    def unblock_bot(self) -> int:
        self.state.blocked.discard(self.id)
        chat = self.state.chats[self.id]
        return _member_update(self.state, chat, self.data, "kicked", "member")


class FakeGroup:
    def __init__(self, state: TelegramState, chat: dict[str, Any]) -> None:
        self.state = state
        self.data = chat

    @property
    def id(self) -> int:
        user_or_chat_id: int = self.data["id"]
        return user_or_chat_id

    def send(self, from_user: FakeUser, text: str) -> int:
        return from_user.send(text, chat_id=self.id)

    def send_document(
        self, from_user: FakeUser, file_name: str, content: bytes, caption: str | None = None
    ) -> int:
        return from_user.send_document(file_name, content, caption, chat_id=self.id)

    def add_admin(self, user: FakeUser) -> None:
        """Make getChatMember report ``user`` as an administrator of this group."""
        self.state.admins.setdefault(self.id, set()).add(user.id)

    def add_bot(self, by: FakeUser) -> int:
        self.state.blocked.discard(self.id)
        return _member_update(self.state, self.data, by.data, "left", "member")

    def remove_bot(self, by: FakeUser) -> int:
        """The bot is kicked: sends answer 403 "bot was kicked from the ... chat"."""
        self.state.blocked.add(self.id)
        return _member_update(self.state, self.data, by.data, "member", "kicked")
