"""What the fake remembers about the bot's behaviour: API calls, sent messages, toasts.

These are plain dataclasses so tests can inspect them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Toast(NamedTuple):
    """One answerCallbackQuery call (the pop-up/notification the user sees)."""

    callback_query_id: str
    text: str | None
    show_alert: bool


@dataclass
class UploadedFile:
    """A file the bot uploaded in a multipart request (params hold this, not ``attach://``)."""

    filename: str
    content: bytes
    content_type: str | None = None


@dataclass
class StoredFile:
    """A file known to the fake server: downloadable via getFile + the file URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes | None  # None when the bot sent a URL we never fetched
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def size(self) -> int:
        return len(self.content or b"")


@dataclass
class ApiCall:
    """One request the bot made (getUpdates polls are not recorded, see ``poll_count``).

    ``at`` is ``time.monotonic()`` when the request arrived, so tests can measure back-off.
    ``response`` is exactly the JSON body that was returned.
    """

    method: str
    params: dict[str, Any]
    at: float
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def error_code(self) -> int | None:
        return self.response.get("error_code")

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class MessageVersion:
    """A snapshot of a bot message before an edit replaced it."""

    text: str | None
    caption: str | None
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    rendered: str
    edit_date: int | None


@dataclass
class SentMessage:
    """A message the bot sent. Edits update it in place; older versions go to ``edits``.

    ``text``/``caption`` are exactly what the bot sent (HTML tags included);
    ``rendered`` is what the user sees (tags stripped, entities decoded) and
    ``entities`` the formatting Telegram derived from it.
    For documents and photos ``document`` holds the uploaded bytes.
    """

    message_id: int
    chat_id: int
    date: int
    kind: str = "message"  # message, document, photo, voice, video, video_note, audio
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    caption: str | None = None
    document: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    file_id: str | None = None
    rendered: str = ""
    entities: list[dict[str, Any]] = field(default_factory=list)
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    deleted: bool = False
    edits: list[MessageVersion] = field(default_factory=list)

    @property
    def body(self) -> str:
        """Text or caption as sent, whichever the message has."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Keyboard rows as (text, callback_data or url); reply keyboards give (text, None)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[_button_pair(button) for button in row] for row in rows]

    @property
    def button_texts(self) -> list[str]:
        return [text for row in self.buttons for text, _ in row]

    @property
    def callback_datas(self) -> list[str]:
        """callback_data of every inline callback button (what a user can press)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [b["callback_data"] for row in rows for b in row if "callback_data" in b]

    def find_button(self, text_contains: str) -> tuple[str, str | None]:
        """The single button whose text equals or contains ``text_contains``."""
        pairs = [pair for row in self.buttons for pair in row]
        exact = [pair for pair in pairs if pair[0] == text_contains]
        matches = exact or [pair for pair in pairs if text_contains in pair[0]]
        if len(matches) != 1:
            problem = "no button" if not matches else f"{len(matches)} buttons"
            raise AssertionError(
                f"{problem} matching {text_contains!r} on message {self.message_id} "
                f"in chat {self.chat_id}; buttons: {self.buttons}"
            )
        return matches[0]

    def snapshot(self) -> MessageVersion:
        return MessageVersion(
            self.text, self.caption, self.parse_mode,
            self.reply_markup, self.rendered, self.edit_date,
        )


def _button_pair(button: Any) -> tuple[str, str | None]:
    if isinstance(button, str):  # reply keyboards may use bare strings
        return button, None
    action = None
    for key in ("callback_data", "url", "switch_inline_query", "login_url", "web_app"):
        if key in button:
            action = button[key]
            break
    if isinstance(action, dict):  # web_app / login_url objects carry a url
        action = action.get("url")
    return button.get("text", ""), action
