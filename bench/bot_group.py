"""`python -m bot` processes a bench starts, kills and stops, each on a port of its own
(bench/two_processes.py, bench/scale_out_workers.py). Standard library only: a bench may
run it beside an older checkout of the bot."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class BotGroup:
    """`count` bot processes run in `folder`: process n gets `env(n, its port)` and appends
    its stderr to `log_name(n)` there; `stop_grace`: seconds a SIGTERMed one gets before it
    is killed; `preexec_fn` runs in each before the bot."""

    def __init__(self, count: int, folder: Path, env: Callable[[int, int], dict[str, str]],
                 log_name: Callable[[int], str], stop_grace: float,
                 preexec_fn: Callable[[], None] | None = None) -> None:
        self._folder = folder
        self._env = env
        self._log_name = log_name
        self._stop_grace = stop_grace
        self._preexec_fn = preexec_fn
        self.ports = [free_port() for _ in range(count)]
        self.processes: list[asyncio.subprocess.Process | None] = [None] * count

    async def start(self, n: int) -> None:
        with (self._folder / self._log_name(n)).open("ab") as log:
            self.processes[n] = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self._folder, env=self._env(n, self.ports[n]),
                stdout=asyncio.subprocess.DEVNULL, stderr=log, preexec_fn=self._preexec_fn)

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
                await asyncio.wait_for(process.wait(), self._stop_grace)
            except TimeoutError:
                process.kill()
                await process.wait()
