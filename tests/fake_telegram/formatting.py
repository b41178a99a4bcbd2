"""Text rendering the way Telegram does it, so formatting bugs fail in tests, not production.

HTML parse mode follows Telegram's (tdlib's) parser closely: only Telegram's tags are
allowed, an unescaped ``<`` is an error, unknown ``&entities;`` stay literal. Error
texts match the real ones ("Unsupported start tag ... at byte offset N").
Markdown parse modes are passed through unparsed (rendered text == source).
Entity offsets/lengths are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import html
import re
from typing import Any

from .errors import TelegramError, bad_request

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024

_TAG_TYPES = {
    "a": "text_link", "b": "bold", "strong": "bold", "i": "italic", "em": "italic",
    "u": "underline", "ins": "underline", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "tg-spoiler": "spoiler", "span": "spoiler", "code": "code",
    "pre": "pre", "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_HTML_ENTITY = re.compile(r"&(lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_ATTRIBUTE = re.compile(r"""([^\s=>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']*)))?""")
_COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def render(
    text: str, parse_mode: str | None, entities: list[dict[str, Any]] | None = None
) -> tuple[str, list[dict[str, Any]]]:
    """(what the user sees, entities) for text sent with ``parse_mode``."""
    if parse_mode and parse_mode.lower() == "html":
        return parse_html(text)
    return text, list(entities or [])


def check_length(rendered: str, *, caption: bool) -> None:
    if caption:
        if utf16_len(rendered) > MAX_CAPTION_LENGTH:
            raise bad_request("message caption is too long")
        return
    if not rendered.strip():
        raise bad_request("message text is empty")
    if utf16_len(rendered) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities for /commands in a user's text (what aiogram's Command filter reads)."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]),
         "length": utf16_len(m.group())}
        for m in _COMMAND.finditer(text)
    ]


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    return _HtmlParser(source).run()


class _HtmlParser:
    def __init__(self, source: str) -> None:
        self.src = source
        self.out: list[str] = []
        self.pos16 = 0
        self.stack: list[tuple[str, int, dict[str, str]]] = []
        self.entities: list[dict[str, Any]] = []

    def fail(self, reason: str) -> TelegramError:
        return bad_request(f"can't parse entities: {reason}")

    def byte_offset(self, index: int) -> int:
        return len(self.src[:index].encode())

    def emit(self, chunk: str) -> None:
        self.out.append(chunk)
        self.pos16 += utf16_len(chunk)

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        i, src = 0, self.src
        while i < len(src):
            char = src[i]
            if char == "&" and (m := _HTML_ENTITY.match(src, i)):
                self.emit(html.unescape(m.group()))
                i = m.end()
            elif char != "<":
                self.emit(char)
                i += 1
            elif src.startswith("</", i):
                i = self.end_tag(i)
            else:
                i = self.start_tag(i)
        if self.stack:
            tag = self.stack[-1][0]
            raise self.fail(f'Can\'t find end tag corresponding to start tag "{tag}"')
        # Telegram's order: by offset, outer (longer, closed later) entities first.
        order = sorted(enumerate(self.entities),
                       key=lambda pair: (pair[1]["offset"], -pair[1]["length"], -pair[0]))
        return "".join(self.out), [entity for _, entity in order]

    def _name_end(self, i: int) -> int:
        while i < len(self.src) and not self.src[i].isspace() and self.src[i] != ">":
            i += 1
        return i

    def start_tag(self, begin: int) -> int:
        src, at = self.src, self.byte_offset(begin)
        i = self._name_end(begin + 1)
        if i >= len(src):
            raise self.fail(f"Unclosed start tag at byte offset {at}")
        name = src[begin + 1 : i].lower()
        if name not in _TAG_TYPES:
            raise self.fail(f'Unsupported start tag "{name}" at byte offset {at}')
        attributes: dict[str, str] = {}
        while True:
            while i < len(src) and src[i].isspace():
                i += 1
            if i >= len(src):
                raise self.fail(f"Unclosed start tag at byte offset {at}")
            if src[i] == ">":
                break
            m = _ATTRIBUTE.match(src, i)
            if not m:
                raise self.fail(f'Empty attribute name in the tag "{name}" at byte offset {at}')
            value = next((g for g in m.groups()[1:] if g is not None), "")
            attributes[m.group(1).lower()] = html.unescape(value)
            i = m.end()
        if name == "span" and attributes.get("class") != "tg-spoiler":
            raise self.fail(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        self.stack.append((name, self.pos16, attributes))
        return i + 1

    def end_tag(self, begin: int) -> int:
        src, at = self.src, self.byte_offset(begin)
        if not self.stack:
            raise self.fail(f"Unexpected end tag at byte offset {at}")
        i = self._name_end(begin + 2)
        found = src[begin + 2 : i].lower()
        while i < len(src) and src[i].isspace():
            i += 1
        if i >= len(src) or src[i] != ">":
            raise self.fail(f"Unclosed end tag at byte offset {at}")
        name, start, attributes = self.stack.pop()
        if found and found != name:
            raise self.fail(
                f'Unmatched end tag at byte offset {at}, expected "</{name}>", found "</{found}>"'
            )
        self.add_entity(name, start, attributes)
        return i + 1

    def add_entity(self, name: str, start: int, attributes: dict[str, str]) -> None:
        length = self.pos16 - start
        if length <= 0:
            return  # Telegram drops empty entities
        entity: dict[str, Any] = {"type": _TAG_TYPES[name], "offset": start, "length": length}
        if name == "a":
            if not attributes.get("href"):
                return
            entity["url"] = attributes["href"]
        elif name == "blockquote" and "expandable" in attributes:
            entity["type"] = "expandable_blockquote"
        elif name == "tg-emoji":
            entity["custom_emoji_id"] = attributes.get("emoji-id", "")
        elif name == "pre" and attributes.get("language"):
            entity["language"] = attributes["language"]
        elif name == "code" and self.stack and self.stack[-1][0] == "pre":
            # <pre><code class="language-x"> is one pre entity with a language, not two.
            language = attributes.get("class", "").removeprefix("language-")
            if attributes.get("class", "").startswith("language-") and language:
                self.stack[-1][2]["language"] = language
                return
        self.entities.append(entity)
