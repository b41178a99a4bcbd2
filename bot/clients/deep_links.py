"""Start links a client opens to connect their Telegram chat to their contact.

The payload is `c<contact id>_<signature>`: the signature (HMAC with a key derived from
the bot token) keeps strangers from claiming someone else's contact by guessing ids.
"""

from __future__ import annotations

import hashlib
import hmac
import re

PREFIX = "c"
_PAYLOAD = re.compile(r"^c(\d{1,12})_([0-9a-f]{12})$")


class StartLinks:
    def __init__(self, bot_token: str) -> None:
        self._key = hashlib.sha256(b"contact-link:" + bot_token.encode()).digest()
        self.username: str | None = None  # learnt from getMe at start-up

    def payload(self, contact_id: int) -> str:
        return f"{PREFIX}{contact_id}_{self._sign(contact_id)}"

    def link(self, contact_id: int) -> str | None:
        if self.username is None:
            return None
        return f"https://t.me/{self.username}?start={self.payload(contact_id)}"

    def contact_of(self, payload: str) -> int | None:
        """The contact id of a genuine payload, None for anything else."""
        match = _PAYLOAD.match(payload)
        if match is None:
            return None
        contact_id = int(match[1])
        return contact_id if hmac.compare_digest(match[2], self._sign(contact_id)) else None

    def _sign(self, contact_id: int) -> str:
        return hmac.new(self._key, str(contact_id).encode(), hashlib.sha256).hexdigest()[:12]
