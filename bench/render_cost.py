"""What rendering in a worker process costs per render, against rendering in-process.

    .venv/bin/python bench/render_cost.py               # 500 renders each way
    .venv/bin/python bench/render_cost.py --count 2000

The template is a typical message (templates/messages/<lang>/greeting.j2 for the sample
deal, in English). "in-process" is the old way: the render in a thread of the bot's
process under a trace-hook deadline (what rules/rendering.py did before the worker);
"worker" is Renderer.render as the bot runs it now: the context pickled to a worker process
of the pool, rendered there under an alarm, the text sent back. Each render is timed from
the event loop, one after the other, after a warm-up (compiled templates cached on both
sides, the workers started). Also timed: a render stuck in C being killed, and how soon
the pool renders again after it.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rules.render_job import RenderJob, Setup, Templates  # noqa: E402
from rules.render_worker import RenderPool, WorkerStopped  # noqa: E402
from rules.rendering import Renderer, TemplateSource  # noqa: E402
from rules.samples import sample_subject  # noqa: E402
from rules.sandbox import RenderTimeout  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
SOURCE = TemplateSource(name="messages/greeting.j2")


def with_trace_deadline(work: Callable[[], str], seconds: float) -> str:
    """The old deadline: a trace hook in the rendering thread."""
    deadline = time.monotonic() + seconds

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise RenderTimeout
        return tracer

    sys.settrace(tracer)
    try:
        return work()
    finally:
        sys.settrace(None)


async def timed(render: Callable[[], Awaitable[str]], count: int) -> list[float]:
    for _ in range(20):
        await render()
    times = []
    for _ in range(count):
        started = time.perf_counter()
        await render()
        times.append(time.perf_counter() - started)
    return times


def line(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"{label:<34} median {median * 1000:7.3f} ms   p95 {p95 * 1000:7.3f} ms")
    return median


async def kill_and_respawn() -> None:
    pool = RenderPool(workers=1)
    await pool.run(len, "warm", seconds=1.0)
    started, stopped = time.perf_counter(), float("nan")
    try:
        await pool.run(pow, 10**64, 64**5, seconds=1.0)  # hours of big-integer work in C
    except WorkerStopped:
        stopped = time.perf_counter() - started
    started = time.perf_counter()
    await pool.run(len, "again", seconds=1.0)
    print(f"a render stuck in C with a 1 s limit is killed after {stopped:.2f} s; "
          f"the new worker renders {(time.perf_counter() - started) * 1000:.0f} ms later")
    await pool.close()


async def main(count: int) -> None:
    renderer = Renderer(ROOT / "templates", timezone="Europe/Berlin")
    context = renderer.context(sample_subject(NOW), "en", NOW)
    templates = Templates(Setup(ROOT / "templates", "Europe/Berlin", "en", "EUR"))
    job = RenderJob(SOURCE, context, "en", 8_000, 4_096, 10_000)

    async def in_process() -> str:
        return await asyncio.to_thread(with_trace_deadline, lambda: templates.render(job), 2.0)

    async def in_worker() -> str:
        return await renderer.render(SOURCE, context)

    assert await in_process() == await in_worker()
    print(f"{count} renders of {SOURCE.name} (en), one after the other")
    old = line("in-process (thread + trace hook)", await timed(in_process, count))
    new = line("worker process (pebble pool)", await timed(in_worker, count))
    print(f"ratio worker / in-process (median): {new / old:.2f}×, "
          f"+{(new - old) * 1000:.3f} ms per render")
    await renderer.close()
    await kill_and_respawn()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    asyncio.run(main(parser.parse_args().count))
