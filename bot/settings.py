"""Configuration from the environment or a `.env` file (every key is in `.env.example`)."""

from __future__ import annotations

import re
from datetime import date, time
from decimal import Decimal
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from crm.storage.database import is_postgresql
from rules.documents.model import DocType
from rules.documents.numbering import document_prefixes

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{10,}$")
# The shipped templates, beside the packages (the checkout, or site-packages, where the
# `templates` folder is installed as data): found wherever the bot is started from.
SHIPPED_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    telegram_api_base: str = "https://api.telegram.org"
    database_path: Path = Path("./data/crm.sqlite3")
    # postgresql://user:password@host:5432/name selects PostgreSQL (several processes on
    # several machines); empty: the SQLite file at DATABASE_PATH.
    database_url: str = ""
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_language: Literal["de", "en"] = "en"
    timezone: str = "Europe/Berlin"
    default_currency: str = "EUR"
    # Webhook mode for production; long polling when WEBHOOK_URL is empty.
    webhook_url: str = ""
    webhook_secret: SecretStr = SecretStr("")
    webhook_listen_host: str = "0.0.0.0"
    webhook_listen_port: int = 8080
    # Install the shipped rule set (greeting, notifications, reminders) on the first start.
    default_rules: bool = True
    # Working hours for rules that run "only within working hours", in TIMEZONE.
    # Env formats: WORKING_DAYS `mon,tue,wed,thu,fri` or `mon-fri`, WORKING_HOURS `09:00-18:00`.
    working_days: Annotated[frozenset[int], NoDecode] = frozenset(range(5))  # Monday = 0
    working_hours: Annotated[tuple[time, time], NoDecode] = (time(9), time(18))
    holidays: Annotated[list[date], NoDecode] = Field(default_factory=list)
    data_dir: Path = Path("./data")
    templates_dir: Path = SHIPPED_TEMPLATES
    log_level: str = "INFO"
    # Outgoing webhook rules: the HMAC-SHA256 key of rules without their own secret, whether
    # they may call private/loopback/link-local/reserved addresses, the time one call may
    # take (seconds) and how many calls (the first and the retries) before the run fails.
    webhook_signing_secret: SecretStr = SecretStr("")
    webhooks_allow_private: bool = False
    webhooks_timeout: float = Field(10.0, gt=0, le=120)
    webhooks_max_attempts: int = Field(10, ge=1, le=50)
    # Our company as documents print it, and the tax rate (%) added to net amounts.
    company_name: str = ""
    company_address: str = ""
    company_tax_id: str = ""
    company_iban: str = ""
    company_bic: str = ""
    company_bank: str = ""
    company_email: str = ""
    # What a German invoice also prints (§ 14 UStG, § 35a GmbHG): the Steuernummer (besides
    # or instead of the USt-IdNr. in COMPANY_TAX_ID), the register court and number, and
    # the managing directors.
    company_tax_number: str = ""
    company_register_court: str = ""
    company_register_number: str = ""
    company_managing_directors: str = ""
    tax_rate: Decimal = Field(Decimal("19"), ge=0, le=100)
    # Document numbers: each type's prefix before its running number (empty: RE-, AN-, VT-
    # when DEFAULT_LANGUAGE is de, else INV-, QUO-, CON-); see rules/documents/numbering.py.
    invoice_prefix: str = ""
    quote_prefix: str = ""
    contract_prefix: str = ""
    # The mail server e-mail rules send through; without SMTP_HOST they fail saying so.
    smtp_host: str = ""
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = ""
    smtp_security: Literal["none", "starttls", "tls"] = "starttls"
    # The morning digest to every salesperson on WORKING_DAYS at this time (empty: off).
    digest_time: time | None = time(8, 30)  # env `08:30`
    # Delivered messages and the rule runs of stages an item has left are kept this long.
    retention_days: int = Field(180, ge=7, le=3650)
    # Webhook triggers: URLs are signed with TRIGGER_SECRET (empty: derived from BOT_TOKEN).
    # In polling mode a small listener serves them when TRIGGER_LISTEN_PORT is set (0: any
    # free port); TRIGGER_PUBLIC_URL is the address outside callers use, if it differs.
    trigger_secret: SecretStr = SecretStr("")
    trigger_listen_host: str = "127.0.0.1"
    trigger_listen_port: int | None = Field(None, ge=0, le=65535)
    trigger_public_url: str = ""
    # Dialogs live in the database, and a user's updates are handled one at a time within
    # each process; with REDIS_URL they live in Redis, with that lock across processes.
    # Their keys there start with REDIS_KEY_PREFIX (for several bots sharing one Redis).
    redis_url: str = ""
    redis_key_prefix: str = "crm-bot:fsm"
    # The pipeline board (a Telegram Mini App) at WEBAPP_URL + "/board/" (https; empty: no
    # board). Webhook mode serves it on the webhook server; polling mode on a listener of its
    # own (WEBAPP_LISTEN_PORT; empty: none). A signed initData is accepted this many seconds.
    webapp_url: str = ""
    webapp_listen_host: str = "127.0.0.1"
    webapp_listen_port: int | None = Field(None, ge=0, le=65535)
    webapp_auth_max_age: int = Field(86400, ge=60, le=30 * 86400)

    @model_validator(mode="after")
    def _document_prefixes(self) -> Settings:
        self.document_prefixes()  # raises ValueError naming the setting
        return self

    def document_prefixes(self) -> dict[DocType, str]:
        return document_prefixes(self.default_language, {
            DocType.INVOICE: self.invoice_prefix, DocType.QUOTE: self.quote_prefix,
            DocType.CONTRACT: self.contract_prefix})

    @field_validator("database_url")
    @classmethod
    def _postgresql_url(cls, value: str) -> str:
        if value and not is_postgresql(value):
            raise ValueError("DATABASE_URL must start with postgresql:// (or stay empty for "
                             "SQLite at DATABASE_PATH)")
        return value

    @property
    def database_location(self) -> str | Path:
        """Where the database is: DATABASE_URL when set, else DATABASE_PATH."""
        return self.database_url or self.database_path

    @field_validator("templates_dir", mode="before")
    @classmethod
    def _shipped_templates_when_empty(cls, value: object) -> object:
        return SHIPPED_TEMPLATES if value in ("", None) else value

    @field_validator("templates_dir")
    @classmethod
    def _templates_dir(cls, value: Path) -> Path:
        if not value.is_dir():
            raise ValueError(f"{value.resolve()} is not a folder of templates")
        return value

    @field_validator("digest_time", mode="before")
    @classmethod
    def _digest_time(cls, value: object) -> object:
        return parse_clock_time(value) if isinstance(value, str) else value

    @field_validator("trigger_listen_port", "webapp_listen_port", mode="before")
    @classmethod
    def _empty_port(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_PATTERN.match(value.get_secret_value().strip()):
            raise ValueError("BOT_TOKEN does not look like a bot token (digits:letters)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p for p in re.split(r"[,\s]+", value) if p]
            if not all(p.lstrip("-").isdigit() for p in parts):
                raise ValueError("ADMIN_IDS must be Telegram user ids separated by commas")
            return [int(p) for p in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("holidays", mode="before")
    @classmethod
    def _split_dates(cls, value: object) -> object:
        if isinstance(value, str):
            return [p for p in re.split(r"[,\s]+", value) if p]
        return value

    @field_validator("working_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        return parse_days(value) if isinstance(value, str) else value

    @field_validator("working_hours", mode="before")
    @classmethod
    def _hours(cls, value: object) -> object:
        return parse_hours(value) if isinstance(value, str) else value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"TIMEZONE {value!r} is not a known time zone") from exc
        return value

    @field_validator("smtp_from")
    @classmethod
    def _mail_address(cls, value: str) -> str:
        if value and "@" not in parseaddr(value)[1]:
            raise ValueError("SMTP_FROM must be an e-mail address, e.g. Sales <sales@acme.example>")
        return value.strip()

    @model_validator(mode="after")
    def _smtp_complete(self) -> Settings:
        if self.smtp_host and not self.smtp_from:
            raise ValueError("SMTP_FROM is needed when SMTP_HOST is set")
        return self

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value.upper()

    @field_validator("telegram_api_base")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("TELEGRAM_API_BASE must be an http(s) URL")
        return value.rstrip("/")


DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_days(text: str) -> frozenset[int]:
    """`mon,tue,fri` or `mon-fri` → weekday numbers (Monday = 0)."""
    days: set[int] = set()
    for part in (p.strip().lower()[:7] for p in text.split(",") if p.strip()):
        first, _sep, last = part.partition("-")
        if first[:3] not in DAY_NAMES or (last and last[:3] not in DAY_NAMES):
            raise ValueError(f"WORKING_DAYS: {part!r} is not a day like mon or mon-fri")
        start = DAY_NAMES.index(first[:3])
        end = DAY_NAMES.index(last[:3]) if last else start
        days.update(range(start, end + 1))
    if not days:
        raise ValueError("WORKING_DAYS names no day")
    return frozenset(days)


def parse_clock_time(text: str) -> time | None:
    """`08:30` → 08:30; empty → None (switched off)."""
    if not text.strip():
        return None
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", text)
    try:
        if match:
            return time(int(match[1]), int(match[2]))
    except ValueError:
        pass
    raise ValueError("DIGEST_TIME must look like 08:30 (or be empty to switch it off)")


def parse_hours(text: str) -> tuple[time, time]:
    """`09:00-18:00` → (opening, closing)."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", text)
    if not match:
        raise ValueError("WORKING_HOURS must look like 09:00-18:00")
    try:
        opening = time(int(match[1]), int(match[2]))
        closing = time(int(match[3]), int(match[4]))
    except ValueError as exc:
        raise ValueError("WORKING_HOURS must look like 09:00-18:00") from exc
    if opening >= closing:
        raise ValueError("WORKING_HOURS must open before it closes")
    return opening, closing
