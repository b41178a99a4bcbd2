"""The page shows no text of its own: every key it looks up (t("…"), tn("…", n),
data-text, data-title, and the fallbacks by HTTP status) is one the server sends with the
bootstrap, in both languages — else a user would see the bare key."""

from __future__ import annotations

import re

import pytest

from bot.board.http import STATIC_DIR
from bot.board.texts import page_texts

LOOKUPS = re.compile(r"""\bt\("(\w+)"|\btn\("(\w+)"|data-(?:text|title)="(\w+)"|\d{3}: "(\w+)"|"""
                     r"""STATUS_TEXTS\[[^]]+\] \|\| "(\w+)\"""")


def keys_the_page_uses() -> set[str]:
    source = (STATIC_DIR / "board.js").read_text() + (STATIC_DIR / "index.html").read_text()
    keys: set[str] = set()
    for found in LOOKUPS.finditer(source):
        plain, plural, attribute, status, otherwise = found.groups()
        if plural:
            keys |= {f"{plural}_one", f"{plural}_other"}
        keys.add(plain or attribute or status or otherwise or "")
    return keys - {""}


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_text_the_page_shows_comes_from_the_server(language: str) -> None:
    used = keys_the_page_uses()
    assert {"title", "days_in_stage_one", "unauthorized", "error", "open_in_chat"} <= used
    assert sorted(used - page_texts(language).keys()) == []
