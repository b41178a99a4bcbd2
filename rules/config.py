"""Settings of the engine, built by the composition root from the bot's settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rules.documents.config import PaperworkConfig
from rules.timing import WorkingHours


@dataclass(frozen=True, slots=True)
class EngineConfig:
    timezone: str = "Europe/Berlin"
    default_language: str = "en"
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    # A link a client opens to start the bot so messages can reach them (contact id -> URL).
    start_link: Callable[[int], str | None] = lambda contact_id: None
    # Automatic stage moves in a row before the loop guard stops them.
    max_automation_depth: int = 8
    # Outgoing webhooks: the HMAC key of rules without their own, and whether addresses on
    # private, loopback, link-local or reserved ranges may be called (WEBHOOKS_ALLOW_PRIVATE).
    webhook_secret: str = field(default="", repr=False)
    webhooks_allow_private: bool = False
    # Base URLs our own webhook triggers are reached at (TRIGGER_PUBLIC_URL, WEBHOOK_URL): an
    # outgoing webhook may not call a trigger there (the trigger listener refuses such calls
    # by their headers as well, whatever name they reach it by).
    own_urls: tuple[str, ...] = ()
    # Our company's details and the tax rate for documents; whether e-mail can be sent.
    paperwork: PaperworkConfig = field(default_factory=PaperworkConfig)
