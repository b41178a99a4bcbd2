"""What paperwork needs from the settings: our company's details, the tax rate, the
document numbers' prefixes and whether a mail server is set up. Part of EngineConfig; the
composition root fills it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from rules.documents.model import DocType
from rules.documents.numbering import DEFAULT_PREFIXES

NBSP = "\u00a0"


@dataclass(frozen=True, slots=True)
class Issuer:
    """Our company, as documents print it. A German invoice (§ 14 UStG) needs the name, the
    address and the USt-IdNr. or the Steuernummer; a GmbH's business letters also name the
    register court and number and the managing directors (§ 35a GmbHG)."""

    name: str = ""
    address: str = ""
    tax_id: str = ""  # USt-IdNr. (VAT id)
    iban: str = ""
    bic: str = ""
    bank: str = ""
    email: str = ""
    tax_number: str = ""  # Steuernummer, from the tax office
    register_court: str = ""  # e.g. Amtsgericht Berlin-Charlottenburg
    register_number: str = ""  # e.g. HRB 123456
    managing_directors: str = ""  # e.g. Max Mustermann, Erika Musterfrau

    @property
    def iban_grouped(self) -> str:
        """The IBAN in groups of four joined by non-breaking spaces: it never breaks
        across lines, and reads as banks print it."""
        compact = "".join(self.iban.split()).upper()
        return NBSP.join(compact[i:i + 4] for i in range(0, len(compact), 4))


@dataclass(frozen=True, slots=True)
class PaperworkConfig:
    issuer: Issuer = field(default_factory=Issuer)
    tax_rate: Decimal = Decimal("19")  # percent, added to the net amounts of items
    email_ready: bool = False  # SMTP_HOST and SMTP_FROM are set: e-mail rules may send
    # Each document type's number prefix (rules/documents/numbering.py).
    prefixes: Mapping[DocType, str] = field(default_factory=lambda: DEFAULT_PREFIXES["en"])
