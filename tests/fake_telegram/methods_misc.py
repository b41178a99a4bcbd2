"""Everything that isn't sending a message: polling, bot profile, callbacks, files, chats."""

from __future__ import annotations

import re
from typing import Any

from . import builders
from .errors import TelegramError, bad_request
from .methods_menu import check_menu_button
from .params import as_int
from .records import Toast
from .registry import CallContext, api_method

_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API refuses getFile above 20 MB


@api_method("getMe")
async def get_me(ctx: CallContext) -> dict[str, Any]:
    return ctx.state.bot_user


@api_method("getUpdates")
async def get_updates(ctx: CallContext) -> list[dict[str, Any]]:
    if ctx.state.webhook_url:
        raise TelegramError(409, "Conflict: can't use getUpdates method while webhook is "
                                 "active; use deleteWebhook to delete the webhook first")
    params = ctx.params
    return await ctx.state.updates.poll(
        offset=as_int(params.get("offset")),
        limit=as_int(params.get("limit")) or 100,
        wait_seconds=float(params.get("timeout") or 0),
        client_alive=ctx.client_alive,
    )


@api_method("setWebhook")
async def set_webhook(ctx: CallContext) -> bool:
    ctx.state.webhook_url = ctx.require("url")
    ctx.state.webhook_params = dict(ctx.params)
    if ctx.params.get("drop_pending_updates"):
        ctx.state.updates.drop_all()
    return True


@api_method("deleteWebhook")
async def delete_webhook(ctx: CallContext) -> bool:
    ctx.state.webhook_url = ""
    ctx.state.webhook_params = {}
    if ctx.params.get("drop_pending_updates"):
        ctx.state.updates.drop_all()
    return True


@api_method("getWebhookInfo")
async def get_webhook_info(ctx: CallContext) -> dict[str, Any]:
    return {"url": ctx.state.webhook_url, "has_custom_certificate": False,
            "pending_update_count": len(ctx.state.updates.pending)}


def scope_key(scope: Any) -> str:
    """"default", "all_private_chats", "chat:42", "chat_member:42:7" ... for tg.commands keys."""
    if not isinstance(scope, dict):
        return "default"
    parts = [scope.get("type", "default")]
    parts += [str(scope[key]) for key in ("chat_id", "user_id") if key in scope]
    return ":".join(parts)


def _commands_key(ctx: CallContext) -> tuple[str, str | None]:
    return scope_key(ctx.params.get("scope")), ctx.params.get("language_code") or None


@api_method("setMyCommands")
async def set_my_commands(ctx: CallContext) -> bool:
    commands = ctx.params.get("commands") or []
    if any(not _COMMAND_NAME.fullmatch(c.get("command", "")) for c in commands):
        raise bad_request("BOT_COMMAND_INVALID")  # e.g. upper case, dashes, a leading "/"
    ctx.state.commands[_commands_key(ctx)] = list(commands)
    return True


@api_method("getMyCommands")
async def get_my_commands(ctx: CallContext) -> list[dict[str, str]]:
    return ctx.state.commands.get(_commands_key(ctx), [])


@api_method("deleteMyCommands")
async def delete_my_commands(ctx: CallContext) -> bool:
    ctx.state.commands.pop(_commands_key(ctx), None)
    return True


def _profile_setter(method: str, kind: str) -> None:
    async def handler(ctx: CallContext) -> bool:
        key = (kind, ctx.params.get("language_code") or None)
        value = ctx.params.get(kind)
        if value:
            ctx.state.descriptions[key] = value
        else:
            ctx.state.descriptions.pop(key, None)
        return True

    api_method(method)(handler)


_profile_setter("setMyDescription", "description")
_profile_setter("setMyShortDescription", "short_description")
_profile_setter("setMyName", "name")


@api_method("setChatMenuButton")
async def set_chat_menu_button(ctx: CallContext) -> bool:
    chat_id = as_int(ctx.params.get("chat_id"))
    button = ctx.params.get("menu_button") or {"type": "default"}
    check_menu_button(button)  # methods_menu.py: a web_app button as Telegram demands it
    ctx.state.menu_buttons[chat_id] = button
    return True


@api_method("answerCallbackQuery")
async def answer_callback_query(ctx: CallContext) -> bool:
    query_id = str(ctx.require("callback_query_id"))
    if query_id not in ctx.state.open_queries:  # unknown, or answered already
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    ctx.state.open_queries.discard(query_id)
    ctx.state.toasts.append(
        Toast(query_id, ctx.params.get("text"), bool(ctx.params.get("show_alert", False)))
    )
    return True


@api_method("getFile")
async def get_file(ctx: CallContext) -> dict[str, Any]:
    stored = ctx.state.files.get(str(ctx.require("file_id")))
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > _MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return builders.file_dict(stored)


@api_method("getChat")
async def get_chat(ctx: CallContext) -> dict[str, Any]:
    return builders.chat_full_info(ctx.chat())


@api_method("getChatMember")
async def get_chat_member(ctx: CallContext) -> dict[str, Any]:
    chat, user_id = ctx.chat(), as_int(ctx.require("user_id"))
    state = ctx.state
    user = state.bot_user if user_id == state.bot_user["id"] else state.users.get(user_id or 0)
    if user is None:
        raise bad_request("user not found")
    if chat["type"] == "private":
        status = "member"
    elif user_id in state.admins.get(chat["id"], set()):
        status = "administrator"
    else:
        status = "member"
    return builders.chat_member(user, status)


@api_method("sendChatAction")
async def send_chat_action(ctx: CallContext) -> bool:
    ctx.chat()
    if ctx.params.get("action") not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


def _message_must_exist(ctx: CallContext) -> bool:
    chat = ctx.chat()
    if (chat["id"], as_int(ctx.params.get("message_id"))) not in ctx.state.messages:
        raise bad_request("message to pin not found")
    return True


@api_method("pinChatMessage")
async def pin_chat_message(ctx: CallContext) -> bool:
    return _message_must_exist(ctx)


@api_method("unpinChatMessage")
async def unpin_chat_message(ctx: CallContext) -> bool:
    ctx.chat()
    return True


@api_method("leaveChat")
async def leave_chat(ctx: CallContext) -> bool:
    ctx.chat()
    return True


@api_method("logOut")
async def log_out(ctx: CallContext) -> bool:
    return True


@api_method("close")
async def close(ctx: CallContext) -> bool:
    return True
