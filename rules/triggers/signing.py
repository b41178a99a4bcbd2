"""Signed webhook URLs: one per trigger and item, an HMAC of both ids. Whoever was given the
URL of an item can move that item, and only that one, to the trigger's stage; a wrong
signature is refused before anything is read or changed."""

from __future__ import annotations

import hashlib
import hmac

PATH_PREFIX = "/hooks/trigger"


def derive_key(secret: str, bot_token: str) -> bytes:
    """The configured secret, or one derived from the bot token when none is set."""
    if secret:
        return secret.encode()
    return hmac.new(bot_token.encode(), b"crm-bot trigger webhooks", hashlib.sha256).digest()


class TriggerSigner:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def sign(self, trigger_id: int, item_id: int) -> str:
        message = f"trigger:{trigger_id}:item:{item_id}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()[:32]

    def verify(self, trigger_id: int, item_id: int, signature: str) -> bool:
        given = signature.strip().lower()
        return given.isascii() and hmac.compare_digest(self.sign(trigger_id, item_id), given)

    def path(self, trigger_id: int, item_id: int) -> str:
        return f"{PATH_PREFIX}/{trigger_id}/{item_id}/{self.sign(trigger_id, item_id)}"
