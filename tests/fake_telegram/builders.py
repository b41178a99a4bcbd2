"""JSON builders for Bot API objects, shaped so aiogram's pydantic models accept them."""

from __future__ import annotations

from typing import Any

from .records import SentMessage, StoredFile


def user_dict(
    user_id: int,
    first_name: str,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    *,
    is_bot: bool = False,
) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    optional = {"last_name": last_name, "username": username, "language_code": language_code}
    user.update({key: value for key, value in optional.items() if value is not None})
    return user


def bot_user_dict(bot_id: int, first_name: str, username: str) -> dict[str, Any]:
    """What getMe returns: a bot user plus the capability flags only getMe carries."""
    return {
        **user_dict(bot_id, first_name, username=username, is_bot=True),
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def private_chat(user: dict[str, Any]) -> dict[str, Any]:
    chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    for key in ("last_name", "username"):
        if key in user:
            chat[key] = user[key]
    return chat


def group_chat(
    chat_id: int, title: str, username: str | None = None, chat_type: str | None = None
) -> dict[str, Any]:
    # Supergroup ids start with -100; plain (legacy) groups are other negative ids.
    kind = chat_type or ("supergroup" if str(chat_id).startswith("-100") else "group")
    chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
    if username:
        chat["username"] = username
    return chat


def chat_full_info(chat: dict[str, Any]) -> dict[str, Any]:
    """getChat's ChatFullInfo: the chat plus fields aiogram requires."""
    return {
        **chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True, "limited_gifts": True, "unique_gifts": True,
            "premium_subscription": True, "gifts_from_channels": True,
        },
    }


def chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    if status == "administrator":
        rights = (
            "can_manage_chat", "can_delete_messages", "can_manage_video_chats",
            "can_restrict_members", "can_promote_members", "can_change_info",
            "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories",
            "can_send_welcome_messages",
        )
        member = {key: True for key in rights}
        return {"status": status, "user": user, "can_be_edited": False,
                "is_anonymous": False, **member}
    if status == "kicked":
        return {"status": status, "user": user, "until_date": 0}
    return {"status": status, "user": user}


def document_dict(stored: StoredFile) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }
    if stored.file_name:
        doc["file_name"] = stored.file_name
    if stored.mime_type:
        doc["mime_type"] = stored.mime_type
    return doc


def photo_sizes(stored: StoredFile) -> list[dict[str, Any]]:
    # Real Telegram sends several thumbnails; one size with nominal dimensions is enough here.
    return [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
             "width": 800, "height": 600, "file_size": stored.size}]


def media_dict(kind: str, stored: StoredFile) -> dict[str, Any]:
    """The message field of a photo, voice note, video, video note, audio or document."""
    if kind == "photo":
        return {"photo": photo_sizes(stored)}
    base: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                            "file_size": stored.size}
    if kind == "voice":
        return {"voice": {**base, "duration": 3, "mime_type": stored.mime_type or "audio/ogg"}}
    if kind == "video":
        return {"video": {**base, "width": 640, "height": 360, "duration": 5}}
    if kind == "video_note":
        return {"video_note": {**base, "length": 240, "duration": 5}}
    if kind == "audio":
        audio = {**base, "duration": 60}
        if stored.file_name:
            audio["file_name"] = stored.file_name
        return {"audio": audio}
    return {"document": document_dict(stored)}


def file_dict(stored: StoredFile) -> dict[str, Any]:
    return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
            "file_size": stored.size, "file_path": stored.file_path}


def sent_message_dict(
    record: SentMessage,
    chat: dict[str, Any],
    bot_user: dict[str, Any],
    stored: StoredFile | None,
    reply_to: dict[str, Any] | None,
) -> dict[str, Any]:
    """The Message object for a bot message, in its current (last edited) state."""
    message: dict[str, Any] = {
        "message_id": record.message_id,
        "from": {key: bot_user[key] for key in ("id", "is_bot", "first_name", "username")},
        "chat": chat,
        "date": record.date,
    }
    if record.edit_date is not None:
        message["edit_date"] = record.edit_date
    if reply_to is not None:
        message["reply_to_message"] = reply_to
    entities_key = "entities"
    if record.kind == "message":
        message["text"] = record.rendered
    else:
        entities_key = "caption_entities"
        if stored is not None:
            message.update(media_dict(record.kind, stored))
        if record.caption is not None:
            message["caption"] = record.rendered
    if record.entities:
        message[entities_key] = record.entities
    # Only inline keyboards are part of a Message; reply keyboards live on the client.
    markup = record.reply_markup
    if markup and "inline_keyboard" in markup:
        message["reply_markup"] = markup
    return message


def update(update_id: int, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"update_id": update_id, kind: payload}
