"""Builds the e-mail: the rendered body as HTML with a plain-text alternative, and the PDF
attachment. Bodies are written like Telegram messages (<b>, <i>, <a>, line breaks), with
the data already escaped by the template environment."""

from __future__ import annotations

import re
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from html import unescape

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def plain(html_text: str) -> str:
    """What the HTML says, as text (for the text/plain part and the subject)."""
    return unescape(_TAG.sub("", html_text))


def one_line(text: str, limit: int = 250) -> str:
    """A header value: one line, no control characters, not too long."""
    return _SPACE.sub(" ", plain(text)).strip()[:limit]


def html_page(body: str) -> str:
    lines = body.replace("\r\n", "\n").split("\n")
    return ("<!DOCTYPE html><html><body style=\"font-family: sans-serif; font-size: 14px\">"
            + "<br>\n".join(lines) + "</body></html>")


def build_message(*, sender: str, to: str, to_name: str, subject: str, body: str,
                  message_id: str, sent_at: datetime,
                  attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = formataddr((one_line(to_name, 100), to))
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id
    message.set_content(plain(body))
    message.add_alternative(html_page(body), subtype="html")
    if attachment is not None:
        name, data = attachment
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message


def message_id(key: str, sender: str) -> str:
    """The same for every attempt of one outbox row (the key holds the row's dedupe key and
    a random token stored with it): a receiver can drop a duplicate, and no two e-mails of
    two installations share one."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    local = re.sub(r"[^A-Za-z0-9.-]", ".", key)
    return f"<{local}@{domain}>"
