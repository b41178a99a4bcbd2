"""What paperwork needs from the settings: our company's details, the tax rate, and
whether a mail server is set up. Part of EngineConfig; the composition root fills it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Issuer:
    """Our company, as documents print it."""

    name: str = ""
    address: str = ""
    tax_id: str = ""
    iban: str = ""
    bic: str = ""
    bank: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class PaperworkConfig:
    issuer: Issuer = field(default_factory=Issuer)
    tax_rate: Decimal = Decimal("19")  # percent, added to the net amounts of items
    email_ready: bool = False  # SMTP_HOST and SMTP_FROM are set: e-mail rules may send
