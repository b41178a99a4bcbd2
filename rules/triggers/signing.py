"""Signed webhook URLs: one per trigger, an HMAC of the trigger id. Only whoever was given
the URL can call it; a wrong signature is refused before anything is read or changed."""

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

    def sign(self, trigger_id: int) -> str:
        digest = hmac.new(self._key, f"trigger:{trigger_id}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def verify(self, trigger_id: int, signature: str) -> bool:
        given = signature.strip().lower()
        return given.isascii() and hmac.compare_digest(self.sign(trigger_id), given)

    def path(self, trigger_id: int) -> str:
        return f"{PATH_PREFIX}/{trigger_id}/{self.sign(trigger_id)}"
