"""sendMessage, sendDocument, sendPhoto, sendVoice, sendVideo, sendVideoNote, sendAudio,
edits and deletes, with Telegram's validation rules."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .formatting import check_length, render
from .records import SentMessage, StoredFile, UploadedFile
from .registry import CallContext, api_method

NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
_BUTTON_ACTIONS = (
    "callback_data", "url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "login_url", "web_app", "callback_game", "pay",
    "copy_text",
)


def _markup(ctx: CallContext) -> dict[str, Any] | None:
    markup = ctx.params.get("reply_markup")
    if not isinstance(markup, dict):
        return None
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not any(key in button for key in _BUTTON_ACTIONS):
                raise bad_request("can't parse inline keyboard button: "
                                  "Text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            # The classic bug: callback_data over 64 *bytes* (umlauts count double).
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
    return markup


def _reply_target(ctx: CallContext, chat_id: int) -> int | None:
    reply = ctx.params.get("reply_parameters")
    if isinstance(reply, dict):
        message_id, allow_missing = reply.get("message_id"), reply.get(
            "allow_sending_without_reply", False)
    else:
        message_id = ctx.params.get("reply_to_message_id")
        allow_missing = ctx.params.get("allow_sending_without_reply", False)
    if message_id is None:
        return None
    if (chat_id, int(message_id)) not in ctx.state.messages:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return int(message_id)


def _send(ctx: CallContext, kind: str, stored: StoredFile | None = None) -> dict[str, Any]:
    state, chat = ctx.state, ctx.chat()
    parse_mode = ctx.params.get("parse_mode")
    if kind == "message":
        text, caption = ctx.params.get("text") or "", None
        rendered, entities = render(text, parse_mode, ctx.params.get("entities"))
        check_length(rendered, caption=False)
    else:
        text, caption = None, ctx.params.get("caption")
        rendered, entities = render(caption or "", parse_mode, ctx.params.get("caption_entities"))
        check_length(rendered, caption=True)
    record = SentMessage(
        message_id=0, chat_id=chat["id"], date=state.date(), kind=kind, text=text,
        parse_mode=parse_mode, reply_markup=_markup(ctx), caption=caption,
        rendered=rendered, entities=entities,
        reply_to_message_id=_reply_target(ctx, chat["id"]),
    )
    if stored is not None:
        record.document, record.filename = stored.content, stored.file_name
        record.mime_type, record.file_id = stored.mime_type, stored.file_id
    record.message_id = state.next_message_id(chat["id"])  # only once validation passed
    state.store_sent(record)
    return state.message_json(record)


def _input_file(ctx: CallContext, field: str, folder: str) -> StoredFile:
    value = ctx.require(field)
    if isinstance(value, UploadedFile):
        return ctx.state.store_file(value.content, value.filename, value.content_type, folder)
    if isinstance(value, str) and value in ctx.state.files:
        return ctx.state.files[value]  # re-sending a known file_id
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        name = value.rstrip("/").rsplit("/", 1)[-1] or None
        return ctx.state.store_file(None, name, None, folder)  # we don't fetch URLs
    raise bad_request("wrong file identifier/HTTP URL specified")


@api_method("sendMessage")
async def send_message(ctx: CallContext) -> dict[str, Any]:
    return _send(ctx, "message")


@api_method("sendDocument")
async def send_document(ctx: CallContext) -> dict[str, Any]:
    ctx.chat()  # "chat not found" wins over file problems, as in Telegram
    return _send(ctx, "document", _input_file(ctx, "document", "documents"))


@api_method("sendPhoto")
async def send_photo(ctx: CallContext) -> dict[str, Any]:
    ctx.chat()
    return _send(ctx, "photo", _input_file(ctx, "photo", "photos"))


@api_method("sendVoice")
async def send_voice(ctx: CallContext) -> dict[str, Any]:
    ctx.chat()
    return _send(ctx, "voice", _input_file(ctx, "voice", "voice"))


@api_method("sendVideo")
async def send_video(ctx: CallContext) -> dict[str, Any]:
    ctx.chat()
    return _send(ctx, "video", _input_file(ctx, "video", "videos"))


@api_method("sendVideoNote")
async def send_video_note(ctx: CallContext) -> dict[str, Any]:
    ctx.chat()
    if ctx.params.get("caption"):
        raise bad_request("video notes have no caption")
    return _send(ctx, "video_note", _input_file(ctx, "video_note", "video_notes"))


@api_method("sendAudio")
async def send_audio(ctx: CallContext) -> dict[str, Any]:
    ctx.chat()
    return _send(ctx, "audio", _input_file(ctx, "audio", "music"))


def _edit_target(ctx: CallContext, action: str) -> SentMessage | None:
    """The bot message to edit/delete, or None for inline messages (not tracked)."""
    if ctx.params.get("inline_message_id"):
        return None
    chat = ctx.chat()
    message = ctx.state.messages.get((chat["id"], int(ctx.require("message_id"))))
    if message is None or (isinstance(message, SentMessage) and message.deleted):
        raise bad_request(f"message to {action} not found")
    if not isinstance(message, SentMessage):
        raise bad_request(f"message can't be {action}ed")
    return message


def _apply_edit(ctx: CallContext, record: SentMessage, **changes: Any) -> dict[str, Any]:
    new_markup = _markup(ctx)
    if record.reply_markup and "inline_keyboard" not in record.reply_markup:
        new_markup = new_markup or record.reply_markup  # reply keyboards aren't editable
    changes["reply_markup"] = new_markup
    if all(getattr(record, key) == value for key, value in changes.items()
           if key in ("rendered", "entities", "reply_markup")):
        raise bad_request(NOT_MODIFIED)
    record.edits.append(record.snapshot())
    for key, value in changes.items():
        setattr(record, key, value)
    record.edit_date = ctx.state.date()
    return ctx.state.message_json(record)


@api_method("editMessageText")
async def edit_message_text(ctx: CallContext) -> dict[str, Any] | bool:
    record = _edit_target(ctx, "edit")
    text, parse_mode = ctx.params.get("text") or "", ctx.params.get("parse_mode")
    rendered, entities = render(text, parse_mode, ctx.params.get("entities"))
    check_length(rendered, caption=False)
    if record is None:
        return True
    if record.kind != "message":
        raise bad_request("there is no text in the message to edit")
    return _apply_edit(ctx, record, text=text, parse_mode=parse_mode,
                       rendered=rendered, entities=entities)


@api_method("editMessageCaption")
async def edit_message_caption(ctx: CallContext) -> dict[str, Any] | bool:
    record = _edit_target(ctx, "edit")
    caption, parse_mode = ctx.params.get("caption"), ctx.params.get("parse_mode")
    rendered, entities = render(caption or "", parse_mode, ctx.params.get("caption_entities"))
    check_length(rendered, caption=True)
    if record is None:
        return True
    if record.kind == "message":
        raise bad_request("there is no caption in the message to edit")
    return _apply_edit(ctx, record, caption=caption, parse_mode=parse_mode,
                       rendered=rendered, entities=entities)


@api_method("editMessageReplyMarkup")
async def edit_message_reply_markup(ctx: CallContext) -> dict[str, Any] | bool:
    record = _edit_target(ctx, "edit")
    if record is None:
        return True
    return _apply_edit(ctx, record)


def _delete(ctx: CallContext, chat_id: int, message_id: int) -> bool:
    message = ctx.state.messages.pop((chat_id, message_id), None)
    if message is None:
        return False
    if isinstance(message, SentMessage):
        message.deleted = True
    ctx.state.deleted.append((chat_id, message_id))
    return True


@api_method("deleteMessage")
async def delete_message(ctx: CallContext) -> bool:
    chat = ctx.chat()
    if not _delete(ctx, chat["id"], int(ctx.require("message_id"))):
        raise bad_request("message to delete not found")
    return True


@api_method("deleteMessages")
async def delete_messages(ctx: CallContext) -> bool:
    chat = ctx.chat()
    for message_id in ctx.require("message_ids"):
        _delete(ctx, chat["id"], int(message_id))  # missing ones are skipped, like Telegram
    return True
