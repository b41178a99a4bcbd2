"""Checks that need no Telegram and no aiogram (which takes seconds to import): the
settings and the database path. Each failure is one clear line for stderr."""

from __future__ import annotations

from pydantic import ValidationError

from bot.settings import Settings
from crm.errors import SchemaTooNew, StorageUnavailable
from crm.storage.database import is_postgresql
from crm.storage.sqlite.database import probe


def load_settings() -> Settings:
    try:
        return Settings()  # values come from the environment
    except ValidationError as error:
        problems = "; ".join(_problem(e["loc"], e["msg"]) for e in error.errors())
        raise SystemExit(f"crm-bot: configuration error — {problems} (see .env.example)") from None


def check_database(settings: Settings) -> None:
    """The SQLite file's folder and file, before anything else starts (PostgreSQL is
    checked by connecting, when the bot opens it)."""
    if is_postgresql(settings.database_location):
        return
    try:
        probe(settings.database_path)
    except StorageUnavailable as error:
        raise SystemExit(database_problem(error)) from None


def database_problem(error: StorageUnavailable) -> str:
    if isinstance(error, SchemaTooNew):  # a deploy rolled back to an older version
        return (f"crm-bot: the database at {error.path} was upgraded by a newer crm-bot "
                f"(schema {error.version}, this one knows up to {error.newest}): start the "
                f"newer version — an older one must not run on a newer schema")
    setting = "DATABASE_URL" if is_postgresql(error.path) else "DATABASE_PATH"
    return (f"crm-bot: cannot open the database at {error.params['path']}: "
            f"{error.params['reason']} (check {setting})")


def _problem(location: tuple[int | str, ...], message: str) -> str:
    key = ".".join(str(part) for part in location).upper() or "settings"
    message = message.removeprefix("Value error, ")
    return message if message.startswith(key) else f"{key}: {message}"
