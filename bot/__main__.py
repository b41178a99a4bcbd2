"""`crm-bot` / `python -m bot`: runs the bot (long polling, or webhook when WEBHOOK_URL is set).

Every start-up failure ends with one clear line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError
from pydantic import ValidationError

from bot.app import create_app
from bot.settings import Settings
from bot.webhook import run_webhook
from crm.errors import StorageUnavailable

log = logging.getLogger("crm-bot")


def load_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]  # values come from the environment
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper() or 'settings'}: "
            f"{e['msg'].removeprefix('Value error, ')}"
            for e in error.errors()
        )
        raise SystemExit(f"crm-bot: configuration error — {problems} (see .env.example)") from None


async def run(settings: Settings) -> None:
    try:
        app = await create_app(settings)
    except StorageUnavailable as error:
        raise SystemExit(
            f"crm-bot: cannot open the database at {error.params['path']}: "
            f"{error.params['reason']} (check DATABASE_PATH)") from None
    try:
        try:
            me = await app.bot.get_me()
        except TelegramUnauthorizedError:
            raise SystemExit("crm-bot: Telegram rejected BOT_TOKEN (unauthorized)") from None
        except TelegramNetworkError as error:
            raise SystemExit(f"crm-bot: cannot reach the Telegram Bot API at "
                             f"{settings.telegram_api_base}: {error.message}") from None
        log.info("running as @%s", me.username)
        if settings.webhook_url:
            await run_webhook(app)
        else:
            await app.bot.delete_webhook(drop_pending_updates=False)
            await app.dp.start_polling(app.bot, handle_signals=True)
    finally:
        await app.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="crm-bot", description="A CRM that lives in Telegram")
    parser.parse_args(argv)
    settings = load_settings()
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(run(settings))
    except KeyboardInterrupt:
        pass
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            raise SystemExit(1) from None
        raise


if __name__ == "__main__":
    main()
