"""Telegram-shaped API errors.

Handlers raise ``TelegramError``; the server turns it into the exact JSON body and
HTTP status Telegram uses, which is what aiogram's ``check_response`` maps to
``TelegramBadRequest``, ``TelegramForbiddenError``, ``TelegramRetryAfter`` and friends.
"""

from __future__ import annotations

from typing import Any

# Descriptions used when a test injects an error without spelling one out.
DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class TelegramError(Exception):
    def __init__(
        self,
        error_code: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after or 1}"
            else:
                description = DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
        if error_code == 429 and retry_after is None:
            retry_after = 1  # aiogram only raises TelegramRetryAfter when this is present
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        parameters = {}
        if self.retry_after is not None:
            parameters["retry_after"] = self.retry_after
        if self.migrate_to_chat_id is not None:
            parameters["migrate_to_chat_id"] = self.migrate_to_chat_id
        if parameters:
            body["parameters"] = parameters
        return body


def bad_request(reason: str) -> TelegramError:
    return TelegramError(400, f"Bad Request: {reason}")


def too_many_requests(retry_after: int) -> TelegramError:
    return TelegramError(429, retry_after=retry_after)


def chat_not_found() -> TelegramError:
    return bad_request("chat not found")


def blocked_description(chat_type: str) -> str:
    """Telegram words the 403 differently for users and for groups the bot was removed from."""
    if chat_type == "private":
        return "Forbidden: bot was blocked by the user"
    if chat_type == "channel":
        return "Forbidden: bot is not a member of the channel chat"
    return f"Forbidden: bot was kicked from the {chat_type} chat"
