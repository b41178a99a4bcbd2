"""A fake Telegram Bot API server for end-to-end tests of the bot through aiogram's real
HTTP session. See ``FakeTelegram`` for the entry point."""

from .actors import FakeGroup, FakeUser
from .errors import TelegramError
from .fake import DEFAULT_TOKEN, FakeTelegram
from .faults import FailureRule, RateLimiter
from .records import ApiCall, MessageVersion, SentMessage, StoredFile, Toast, UploadedFile
from .registry import supported_methods

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "FailureRule",
    "FakeGroup",
    "FakeTelegram",
    "FakeUser",
    "MessageVersion",
    "RateLimiter",
    "SentMessage",
    "StoredFile",
    "TelegramError",
    "Toast",
    "UploadedFile",
    "supported_methods",
]
