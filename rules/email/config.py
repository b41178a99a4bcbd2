"""The mail server e-mail rules send through (SMTP_* settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Security = Literal["none", "starttls", "tls"]


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    sender: str  # the From address, e.g. "ACME Sales <sales@acme.example>"
    port: int = 587
    user: str = ""
    password: str = ""
    security: Security = "starttls"
    timeout: float = 30.0
    validate_certs: bool = True
