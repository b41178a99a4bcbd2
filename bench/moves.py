"""Stage moves through the whole stack into a stage with 0, 1 and 10 rules, against bare
aiogram, on a seeded database of 100k items.

    .venv/bin/python bench/moves.py                 # 100k items, 200 moves a figure
    .venv/bin/python bench/moves.py --items 10000 --moves 100

Both sides talk to an in-process stub session (bench/stub_session.py): no HTTP anywhere.
The database comes from bench/scale_seed.py (copied, since moves change it). Presses go one
at a time: a staff member presses a stage button on a card (dedupe, staff, dispatcher,
ItemService.move in one SQLite transaction with history, events and the engine's planning,
card rendered, edit and toast).

- *move*: the update's own latency (median); the run worker executes the runs between
  presses, untimed, so each press meets an idle engine.
- *with execution*: the update and then every run it planned executed and every message
  delivered (to the stub), per move: throughput of the whole job.

Each rule is "notify the responsible person" with a one-line template. Ratios are moves/s
over the bare aiogram update's (a callback handler that answers and edits).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram.types import Update

from bench.scale import bare_dispatcher, crm_on
from bench.scale_seed import ADMIN_ID, seeded
from bench.scale_updates import Updates
from bot.app import CrmBot
from bot.items.callbacks import CardAction, CardCb
from rules.errors import TemplateProblem
from rules.model import Execution, Rule, Timing
from rules.rendering import TemplateSource

RULES = (0, 1, 10)


class Presses(Updates):
    """Stage buttons pressed on open deals of one pipeline, into a chosen stage."""

    def __init__(self, peek: sqlite3.Connection, app: CrmBot, pipeline: int) -> None:
        super().__init__(peek, app)
        self._pipeline = pipeline
        self._pick = random.Random(11)

    def into(self, stage_id: int) -> Update:
        while True:
            item_id = self._pick.randint(1, self._items)
            row = self._peek.execute("SELECT pipeline_id, stage_id, version, closed FROM items"
                                     " WHERE id = ?", (item_id,)).fetchone()
            if row[0] == self._pipeline and not row[3] and row[1] != stage_id:
                break
        return self._press(CardCb(action=CardAction.MOVE, item_id=item_id, stage_id=stage_id,
                                  version=row[2]).pack())


async def with_rules(app: CrmBot, stages: list[int]) -> None:
    staff = await app.services.staff.identify(ADMIN_ID)
    assert staff is not None
    with contextlib.suppress(TemplateProblem):  # the render workers' first start is slow
        await app.automation.renderer.render(TemplateSource(text="warm"), {"lang": "en"})
    for count, stage in zip(RULES, stages, strict=True):
        for n in range(count):
            await app.automation.rules.add(staff, Rule(
                id=0, type_code="", pipeline_id=0, stage_id=stage, position=0,
                title=f"Tell {n}", kind="notify_responsible",
                params={"text": f"{n}: <b>{{{{ item.title }}}}</b> is in {{{{ stage.name }}}}"},
                execution=Execution.INDEPENDENT, timing=Timing()))


async def timed(step: Callable[[], Awaitable[object]]) -> float:
    began = time.perf_counter()
    await step()
    return time.perf_counter() - began


async def measure(app: CrmBot, presses: Presses, stages: list[int], moves: int
                  ) -> dict[int, tuple[float, float]]:
    """Per rule count: (median seconds of the move's update, mean seconds of a move with its
    execution). The stages take turns, so drift hits each alike."""
    async def press(stage: int) -> None:
        await app.dp.feed_update(app.bot, presses.into(stage))

    async def press_and_execute(stage: int) -> None:
        await press(stage)
        await app.automation.tick()

    own: dict[int, list[float]] = {stage: [] for stage in stages}
    whole: dict[int, list[float]] = {stage: [] for stage in stages}
    for stage in stages:
        await press_and_execute(stage)  # warm: caches, compiled templates, render workers
    for _ in range(moves):
        for stage in stages:
            own[stage].append(await timed(lambda: press(stage)))  # noqa: B023 - awaited now
            await app.automation.tick()
    for _ in range(moves):
        for stage in stages:
            whole[stage].append(await timed(lambda: press_and_execute(stage)))  # noqa: B023
    return {count: (statistics.median(own[stage]), statistics.mean(whole[stage]))
            for count, stage in zip(RULES, stages, strict=True)}


async def main(items: int, moves: int) -> None:
    source = await seeded(items)
    folder = Path(tempfile.mkdtemp(prefix="crm-moves-"))
    path = folder / "moves.sqlite3"
    shutil.copyfile(source, path)
    peek = sqlite3.connect(path)
    pipeline, *_ = peek.execute(
        "SELECT pipeline_id FROM stages WHERE kind = 'progress' GROUP BY pipeline_id"
        " HAVING COUNT(*) >= 3 ORDER BY pipeline_id").fetchone()
    stages = [row[0] for row in peek.execute(
        "SELECT id FROM stages WHERE pipeline_id = ? AND kind = 'progress' ORDER BY position"
        " LIMIT 3", (pipeline,))]
    app = await crm_on(path, folder)
    bare_dp, bare_bot = bare_dispatcher()
    presses = Presses(peek, app, pipeline)
    try:
        await with_rules(app, stages)
        bare_samples = []
        for _ in range(moves + 1):
            bare_samples.append(await timed(
                lambda: bare_dp.feed_update(bare_bot, presses.press_any())))
        bare = statistics.median(bare_samples[1:])
        figures = await measure(app, presses, stages, moves)
    finally:
        peek.close()
        await app.close()
        await bare_bot.session.close()
        shutil.rmtree(folder, ignore_errors=True)
    report(items, bare, figures)


def report(items: int, bare: float, figures: dict[int, tuple[float, float]]) -> None:
    print(f"{items:,} items; bare aiogram update {1 / bare:8.1f} moves/s ({bare * 1000:.2f} ms)")
    base = figures[0][0]
    for count, (own, whole) in figures.items():
        print(f"  {count:2} rules: move {1 / own:7.1f}/s = {bare / own:5.3f}x bare"
              f" ({own * 1000:5.2f} ms, {own / base:4.2f}x the 0-rule move);"
              f" with execution {1 / whole:7.1f}/s = {bare / whole:5.3f}x bare")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--moves", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(main(args.items, args.moves))
