"""Telegram's initData for the board's tests, signed as Telegram signs it: HMAC-SHA256 of the
sorted "key=value" lines with the key HMAC-SHA256("WebAppData", bot token)
(core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app). Shared by the
API tests and the browser tests' stand-in for telegram-web-app.js."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime
from typing import Any
from urllib.parse import urlencode


def signed_init_data(token: str, user_id: int, at: datetime, first_name: str = "Test",
                     language_code: str = "en", **user: Any) -> str:
    """The raw initData string of a Mini App opened by `user_id` at `at`."""
    fields = {
        "auth_date": str(int(at.timestamp())),
        "query_id": f"AAH{user_id}",
        "user": json.dumps({"id": user_id, "first_name": first_name,
                            "language_code": language_code, **user},
                           separators=(",", ":"), ensure_ascii=False),
    }
    check = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


def forged(init_data: str) -> str:
    """The same initData with another user id: the signature no longer fits."""
    return init_data.replace("%22id%22%3A", "%22id%22%3A9")
