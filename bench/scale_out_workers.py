"""The bot processes of bench/scale_out.py: `python -m bot` in webhook mode, each on a port
of its own, on the bench's database and Redis, against the fake Bot API."""

from __future__ import annotations

import asyncio
import ctypes
import os
import signal
import socket
import sys
import time
from pathlib import Path

from bench.scale_out_setup import ADMIN_ID, REDIS_URL, ROOT, SECRET, url_of
from tests.fake_telegram import FakeTelegram

PR_SET_PDEATHSIG = 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Workers:
    """`count` bot processes serving one webhook URL, each on a port of its own."""

    def __init__(self, count: int, folder: Path, env: dict[str, str]) -> None:
        self._folder = folder
        self._env = env
        self.ports = [_free_port() for _ in range(count)]
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.processes: list[asyncio.subprocess.Process | None] = [None] * count

    async def start(self, n: int) -> None:
        env = {**self._env, "WEBHOOK_LISTEN_PORT": str(self.ports[n])}
        with (self._folder / f"worker{n + 1}.log").open("ab") as log:
            self.processes[n] = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self._folder, env=env,
                stdout=asyncio.subprocess.DEVNULL, stderr=log, preexec_fn=_die_with_parent)

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

    async def kill(self, n: int) -> int:
        process = self.processes[n]
        assert process is not None
        process.send_signal(signal.SIGKILL)
        await process.wait()
        return process.pid

    async def stop(self) -> None:
        running = [p for p in self.processes if p is not None and p.returncode is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        for process in running:
            try:
                await asyncio.wait_for(process.wait(), 20)
            except TimeoutError:
                process.kill()
                await process.wait()


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
