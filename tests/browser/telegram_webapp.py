"""A stand-in for Telegram's telegram-web-app.js: what Telegram gives a Mini App, with an
initData signed as Telegram signs it (the Web App spec, written out here rather than taken
from aiogram, so the server's check is tested against the spec and not against itself).

The browser tests route the page's request for Telegram's script to `script(...)`."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js"

LIGHT = {"bg_color": "#ffffff", "text_color": "#000000", "hint_color": "#999999",
         "link_color": "#2481cc", "button_color": "#2481cc", "button_text_color": "#ffffff",
         "secondary_bg_color": "#efeff3", "section_bg_color": "#ffffff"}
DARK = {"bg_color": "#17212b", "text_color": "#ffffff", "hint_color": "#aaaaaa",
        "link_color": "#5eabe1", "button_color": "#5288c1", "button_text_color": "#ffffff",
        "secondary_bg_color": "#0e1621", "section_bg_color": "#17212b"}


def sign_init_data(token: str, fields: dict[str, str]) -> str:
    """The query string Telegram hands the page: `fields` plus their hash, which is
    HMAC-SHA256(key=HMAC-SHA256(key="WebAppData", msg=token), msg=data-check-string), the
    data-check-string being the fields sorted by key as "key=value" lines."""
    check_string = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


@dataclass
class WebAppUser:
    """Who opens the board, and how Telegram would describe the opening."""

    id: int
    first_name: str
    language_code: str = "en"
    auth_date: int = field(default_factory=lambda: int(time.time()))
    color_scheme: str = "light"

    def fields(self) -> dict[str, str]:
        user = {"id": self.id, "first_name": self.first_name,
                "language_code": self.language_code, "allows_write_to_pm": True}
        return {"query_id": f"AAH{self.id}", "auth_date": str(self.auth_date),
                "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False)}

    def init_data(self, token: str) -> str:
        return sign_init_data(token, self.fields())


def forged(init_data: str) -> str:
    """The same initData with another user id in it and the old hash: what a page that
    pretends to be someone else would send."""
    return init_data.replace("%22id%22%3A", "%22id%22%3A9", 1)


def script(init_data: str, color_scheme: str = "light") -> str:
    """JavaScript defining window.Telegram.WebApp as the page uses it; the calls the page
    makes are recorded in window.__telegram for the tests to read."""
    theme = DARK if color_scheme == "dark" else LIGHT
    config: dict[str, Any] = {"initData": init_data, "themeParams": theme,
                              "colorScheme": color_scheme}
    return """
(function () {
  var config = CONFIG;
  var calls = window.__telegram = {ready: 0, expand: 0, opened: [], backButton: "hidden"};
  var noop = function () {};
  window.Telegram = {WebApp: {
    initData: config.initData,
    initDataUnsafe: {},
    version: "8.0",
    platform: "tdesktop",
    colorScheme: config.colorScheme,
    themeParams: config.themeParams,
    isExpanded: false,
    ready: function () { calls.ready += 1; },
    expand: function () { calls.expand += 1; this.isExpanded = true; },
    close: noop,
    disableVerticalSwipes: noop,
    onEvent: noop,
    offEvent: noop,
    openTelegramLink: function (url) { calls.opened.push(url); },
    BackButton: {show: function () { calls.backButton = "shown"; },
                 hide: function () { calls.backButton = "hidden"; },
                 onClick: noop, offClick: noop},
    HapticFeedback: {impactOccurred: noop, notificationOccurred: noop,
                     selectionChanged: noop},
  }};
})();
""".replace("CONFIG", json.dumps(config), 1)
