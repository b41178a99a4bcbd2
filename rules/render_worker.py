"""The hard stop: renders run in a small pool of worker processes (pebble's ProcessPool), so
a render past its limits is ended from outside and the event loop never waits on one.

- memory: before each render a worker caps its address space (RLIMIT_AS) at its size
  then plus HEADROOM, and never above CEILING beyond its size at start; an allocation
  beyond raises MemoryError inside the render (the worker lives on);
- time: an alarm (SIGALRM, in the worker's main thread) raises RenderTimeout in Python
  code after `seconds`; work stuck in C (big-integer arithmetic) never sees it, so the
  pool kills the worker GRACE later and starts a new one;
- workers fork from a fork server that imported the rendering code once, so none of the
  bot's threads or connections is copied into them. As with any multiprocessing start
  method but `fork`, a worker re-imports the main script: it must keep its work under
  `if __name__ == "__main__":` (the bot's entry points and the benches do).
Cost: about 0.5 ms per render for the round trip (bench/render_cost.py).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import resource
import signal
import threading
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from types import FrameType
from typing import Any, Literal, TypeVar

from pebble import ProcessExpired, ProcessPool

from rules.errors import TemplateProblem
from rules.render_job import RenderJob, Setup, Templates
from rules.sandbox import RenderTimeout

T = TypeVar("T")
HEADROOM = 64 << 20  # bytes one render may allocate
CEILING = 256 << 20  # bytes a worker may grow beyond its size at start (caches and a render)
GRACE = 0.25  # seconds between the alarm and the kill
STARTUP = 10.0  # seconds a render may wait for a worker to start before it is given up
WORKERS = 2
RECYCLE_AFTER = 1_000  # renders per worker: compiled-template caches stay far below the cap
Outcome = tuple[Literal["text", "problem", "timeout", "memory"], Any]


class WorkerStopped(Exception):
    """The worker running a job was ended: past its hard timeout, or it died."""

    def __init__(self, timed_out: bool, detail: str) -> None:
        super().__init__(detail)
        self.timed_out = timed_out


class RenderPool:
    """Started on first use, reused across renders; `close` ends the workers (a later
    render starts them again)."""

    def __init__(self, workers: int = WORKERS) -> None:
        self._workers = workers
        self._pool: ProcessPool | None = None
        self._lock = threading.Lock()

    async def run(self, function: Callable[..., T], *args: Any, seconds: float) -> T:
        """`function(*args)` in a worker; raises WorkerStopped past `seconds` + GRACE."""
        pool = self._pool
        if pool is None:
            pool = await asyncio.to_thread(self._start)  # starts processes: not on the loop
        future = pool.schedule(function, args=args, timeout=seconds + GRACE)
        try:
            async with asyncio.timeout(seconds + STARTUP):  # not wait_for: see Leadership._try
                return await asyncio.wrap_future(future)
        except TimeoutError as exc:  # pebble's hard timeout, or no worker came up
            future.cancel()  # type: ignore[no-untyped-call]
            raise WorkerStopped(True, f"stopped after {seconds + GRACE:.2f}s") from exc
        except ProcessExpired as exc:  # most likely memory: the limit hit outside the render
            raise WorkerStopped(False, f"the render process ended ({exc.exitcode})") from exc
        except BrokenProcessPool:  # workers cannot start: not the template's fault
            await self.close()  # the next render tries a new pool
            raise

    async def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()  # type: ignore[no-untyped-call]  # renders still running are cut; nothing waits for their results
            await asyncio.to_thread(pool.join)

    def _start(self) -> ProcessPool:
        with self._lock:
            if self._pool is None:
                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload([__name__])
                self._pool = ProcessPool(self._workers, RECYCLE_AFTER, _worker_started,
                                         context=context)
            return self._pool


SHARED = RenderPool()  # one per process: every Renderer of the bot (and of a test run) uses it


def render_in_worker(setup: Setup, job: RenderJob, seconds: float) -> Outcome:
    """Runs in the worker: the text, or why there is none (picklable either way)."""
    templates = _TEMPLATES.get(setup)
    if templates is None:
        templates = _TEMPLATES[setup] = Templates(setup)
    try:
        _limit_memory()
        return "text", _with_alarm(lambda: templates.render(job), seconds)
    except TemplateProblem as problem:
        return "problem", problem.params
    except RenderTimeout:
        return "timeout", None
    except MemoryError:
        return "memory", None


_TEMPLATES: dict[Setup, Templates] = {}
_armed = False
_ceiling = 0  # set when the worker starts


def _worker_started() -> None:
    # pebble stops a worker with SIGTERM and a Python handler, which cannot run while C code
    # holds the interpreter; the default action ends the process at once. (pebble holds the
    # worker's channel lock while it stops it, so the worker cannot die holding it.)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGALRM, _alarm)
    global _ceiling
    _ceiling = _address_space() + CEILING
    _limit_memory()


def _limit_memory() -> None:
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    limit = min(_address_space() + HEADROOM, _ceiling)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc/self/status")


def _with_alarm(work: Callable[[], T], seconds: float) -> T:
    global _armed
    _armed = True
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    finally:
        _armed = False  # an alarm already pending when the render ended is ignored
        signal.setitimer(signal.ITIMER_REAL, 0)


def _alarm(signum: int, frame: FrameType | None) -> None:
    if _armed:
        raise RenderTimeout
