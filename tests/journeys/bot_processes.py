"""Real `python -m bot` processes against the fake Bot API, for journeys about processes:
started with the test's settings, their stderr kept in a file, stopped with a signal."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ADMIN_ID
from tests.databases import database_env
from tests.fake_telegram import FakeTelegram
from tests.rules.conftest import TEMPLATES


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log: Path  # its stderr

    @property
    def pid(self) -> int:
        return self.process.pid

    async def stop(self, sig: signal.Signals = signal.SIGTERM,
                   timeout: float = 20) -> int:  # noqa: ASYNC109 - bounded wait
        """Sends `sig` (unless it has ended already); its exit code."""
        if self.process.returncode is None:
            self.process.send_signal(sig)
        return await self.ended(timeout)

    async def ended(self, timeout: float = 20) -> int:  # noqa: ASYNC109 - bounded wait
        """Its exit code, once it has ended by itself."""
        return await asyncio.wait_for(self.process.wait(), timeout)

    def stderr(self) -> str:
        return self.log.read_text(errors="replace")


def free_port() -> int:
    """A port free now, below Linux's ephemeral range (32768+): a process started seconds
    later binds it without another test's server having been given it meanwhile."""
    for _attempt in range(100):
        port = random.randrange(20_000, 30_000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError("no free port between 20000 and 30000")


class BotProcesses:
    """Starts `python -m bot` processes talking to `tg`; whatever still runs when the block
    ends (a failed test) is killed.

        async with BotProcesses(tg, tmp_path) as bots:
            first = await bots.start("first", database_location(tmp_path), WEBHOOK_URL=...)
    """

    def __init__(self, tg: FakeTelegram, workdir: Path) -> None:
        self._tg = tg
        self._workdir = workdir
        self._started: list[BotProcess] = []

    async def __aenter__(self) -> BotProcesses:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for bot in self._started:
            if bot.process.returncode is None:
                bot.process.kill()
                await bot.process.wait()

    async def start(self, name: str, location: str | Path, **env: str) -> BotProcess:
        """`python -m bot` on the database at `location` (a SQLite file or a PostgreSQL
        URL); `env` adds settings (e.g. WEBHOOK_URL)."""
        tg, workdir = self._tg, self._workdir
        settings = {"BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.base_url or "",
                    **database_env(location), "ADMIN_IDS": str(ADMIN_ID),
                    "DEFAULT_RULES": "false", "DEFAULT_LANGUAGE": "en",
                    "TEMPLATES_DIR": str(TEMPLATES), "DATA_DIR": str(workdir / "data"),
                    # no morning digest by the real clock: it would add a message to the
                    # staff's chats whenever a run falls in the hour after 08:30 in Berlin
                    "DIGEST_TIME": "", "LOG_LEVEL": "WARNING", **env}
        log = workdir / f"{name}.stderr"
        with log.open("wb") as stderr:  # the child keeps its own copy of the descriptor
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=workdir, env={**os.environ, **settings},
                stdout=asyncio.subprocess.DEVNULL, stderr=stderr)
        bot = BotProcess(process, log)
        self._started.append(bot)
        return bot
