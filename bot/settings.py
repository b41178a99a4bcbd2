"""Configuration from the environment or a `.env` file (every key is in `.env.example`)."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TOKEN_PATTERN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{10,}$")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr
    telegram_api_base: str = "https://api.telegram.org"
    database_path: Path = Path("./data/crm.sqlite3")
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
    working_days: str = "mon,tue,wed,thu,fri"
    working_hours: str = "09:00-18:00"
    holidays: Annotated[list[date], NoDecode] = Field(default_factory=list)
    data_dir: Path = Path("./data")
    templates_dir: Path = Path("./templates")
    log_level: str = "INFO"

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

    @field_validator("working_days")
    @classmethod
    def _days(cls, value: str) -> str:
        parse_days(value)
        return value

    @field_validator("working_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value)
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"TIMEZONE {value!r} is not a known time zone") from exc
        return value

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
