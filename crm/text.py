"""Text people type, made fit to store: no control characters, no invisible direction
overrides. Telegram passes NUL bytes and escape sequences through as typed; stored in a
title or name they would break a card, a PDF or a search."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the bidirectional overrides/isolates that can make a name
# read backwards (U+202A–U+202E, U+2066–U+2069). Tabs and line breaks are handled apart.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    """A title or name: control characters gone, every run of white space one blank."""
    return " ".join(_INVISIBLE.sub("", text).split())


def multi_line(text: str) -> str:
    """A note or a longer text: control characters gone, line breaks kept (as "\\n"), blank
    space at either end removed."""
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
