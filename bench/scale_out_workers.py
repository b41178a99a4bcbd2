"""The bot processes of bench/scale_out.py: `python -m bot` in webhook mode, each on a port
of its own, on the bench's database and Redis, against the fake Bot API."""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import time
from pathlib import Path

from bench.bot_group import BotGroup
from bench.scale_out_setup import ADMIN_ID, REDIS_URL, ROOT, SECRET, url_of
from tests.fake_telegram import FakeTelegram

PR_SET_PDEATHSIG = 1


class Workers(BotGroup):
    """`count` bot processes serving one webhook URL, each on a port of its own."""

    def __init__(self, count: int, folder: Path, env: dict[str, str]) -> None:
        super().__init__(count, folder, lambda _n, port: {**env, "WEBHOOK_LISTEN_PORT": str(port)},
                         lambda n: f"worker{n + 1}.log", stop_grace=20,
                         preexec_fn=_die_with_parent)
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]

    async def listening(self, deadline: float) -> None:
        for port in self.ports:
            while True:
                try:
                    _reader, writer = await asyncio.open_connection("127.0.0.1", port)
                    writer.close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit(f"bench: no worker on port {port}") from None
                    await asyncio.sleep(0.2)


def bot_env(db: str, tg: FakeTelegram, api: str, prefix: str, folder: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "BOT_TOKEN": tg.token,
            "TELEGRAM_API_BASE": api, "DATABASE_URL": url_of(db), "ADMIN_IDS": str(ADMIN_ID),
            "DEFAULT_RULES": "false", "DATA_DIR": str(folder / "data"), "LOG_LEVEL": "ERROR",
            "WEBHOOK_URL": "https://crm.example", "WEBHOOK_LISTEN_HOST": "127.0.0.1",
            "REDIS_URL": REDIS_URL, "REDIS_KEY_PREFIX": prefix,
            "WEBHOOK_SIGNING_SECRET": SECRET, "WEBHOOKS_ALLOW_PRIVATE": "true",
            "COMPANY_NAME": "Scale-out GmbH", "COMPANY_ADDRESS": "Benchstraße 1, 10115 Berlin"}


def _die_with_parent() -> None:
    """In a worker before it runs: SIGKILL it when the bench dies (Linux's PDEATHSIG), so
    that a bench killed outright leaves no bot behind."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
