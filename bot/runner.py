"""Starts the bot once the settings are known; start-up failures become one clear line."""

from __future__ import annotations

import logging

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramNetworkError,
    TelegramUnauthorizedError,
)

from bot.app import create_app
from bot.preflight import database_problem
from bot.settings import Settings
from bot.telegram.sole_poller import poll_alone
from bot.telegram.webhook import run_webhook
from crm.errors import StorageUnavailable

log = logging.getLogger("crm-bot")


async def run(settings: Settings) -> None:
    try:
        app = await create_app(settings)
    except StorageUnavailable as error:
        raise SystemExit(database_problem(error)) from None
    try:
        try:
            me = await app.bot.get_me()
        except TelegramUnauthorizedError:
            raise SystemExit("crm-bot: Telegram rejected BOT_TOKEN (unauthorized)") from None
        except TelegramNetworkError as error:
            raise SystemExit(f"crm-bot: cannot reach the Telegram Bot API at "
                             f"{settings.telegram_api_base}: {error.message}") from None
        except (TelegramAPIError, ClientDecodeError) as error:
            raise SystemExit(f"crm-bot: {settings.telegram_api_base} does not answer like a "
                             f"Telegram Bot API server ({type(error).__name__}; check "
                             f"TELEGRAM_API_BASE)") from None
        log.info("running as @%s", me.username)
        if settings.webhook_url:
            await run_webhook(app, handle_signals=True)
        else:
            await app.dp["board_web"].start_listener()  # the board (WEBAPP_LISTEN_PORT)
            await poll_alone(app)  # or one clear line: another process polls
    finally:
        await app.dp["board_web"].stop_listener()
        await app.close()
