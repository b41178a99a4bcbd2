"""Hostile templates cannot freeze or exhaust the bot: each one is refused by the sandbox's
caps or ended by the render worker (memory limit, alarm, kill) within about a second, with
a reason a salesperson can read; the event loop keeps answering meanwhile, and this
process's memory does not grow."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest

from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.errors import TemplateProblem
from rules.reasons import reason_text
from rules.render_worker import HEADROOM, RenderPool, WorkerStopped
from rules.rendering import Renderer, TemplateSource
from rules.samples import sample_subject
from rules.storage.unit import repos
from tests.rules.conftest import add_rule, client_contact, stage_id

T = TypeVar("T")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DOUBLING = ("{% set ns = namespace(s='ab') %}{% for i in range(64) %}"
            "{% set ns.s = ns.s OP %}{% endfor %}{{ ns.s|length }}")
BIG_INT = ("{% set x = 10**64 %}{% set y = x**64 %}{% set z = y**64 %}{% set w = z**64 %}"
           "{{ w > 1 }}")
PYTHON_LOOP = ("{% set s = 'x' * 100000 %}"
               "{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}")
# gets past every cap (each piece is small) but the macro's output buffer grows to 1 GB
BUFFER = ("{% set s = 'x' * 100000 %}{% macro m() %}{% for i in range(10000) %}{{ s }}"
          "{% endfor %}{% endmacro %}{{ m()|length }}")
TOO_BIG = [
    BIG_INT,
    *(f"{{{{ 'a\tb'.{method}(10**9)|length }}}}"
      for method in ("ljust", "rjust", "center", "zfill", "expandtabs")),
    "{{ '{:>{w}}'.format(1, w=10**9)|length }}",
    "{{ '{:.{w}f}'.format(1.5, w=10**9)|length }}",
    "{{ ('%*d' % (10**9, 1))|length }}",
    "{{ '%*d'|format(10**9, 1)|length }}",
    "{% set s = 'x' * 20000 %}{{ ([s] * 20000)|join|length }}",
    "{% set s = 'x' * 20000 %}{{ ''.join([s] * 20000)|length }}",
    "{{ (1).to_bytes(10**9, 'big')|length }}",
    "{{ (item.amount * 1e300) ** 4 }}",
    *(DOUBLING.replace("OP", op) for op in ("~ ns.s", "+ ns.s", "* 2", ".replace('a', 'aa')")),
    DOUBLING.replace("ns.s OP", "'%s%s'|format(ns.s, ns.s)"),
    DOUBLING.replace("ns.s OP", "'{0}{0}'.format(ns.s)"),
    DOUBLING.replace("ns.s OP", "[ns.s, ns.s]|join"),
    BUFFER,
]
MB = 1 << 20


@pytest.fixture
async def renderer() -> Renderer:
    renderer = Renderer(TEMPLATES, timezone="Europe/Berlin")
    assert await render(renderer, "{{ 1 }}") == "1"  # the workers are up before timing
    return renderer


async def render(renderer: Renderer, text: str) -> str:
    context = renderer.context(sample_subject(NOW), "en", NOW)
    return await renderer.render(TemplateSource(text=text), context)


async def refused(renderer: Renderer, text: str) -> TemplateProblem:
    started = time.monotonic()
    with pytest.raises(TemplateProblem) as caught:
        await render(renderer, text)
    assert time.monotonic() - started < 2.0
    return caught.value


def peak_memory() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@pytest.mark.parametrize("text", TOO_BIG)
async def test_a_template_that_would_build_something_huge_is_stopped(
        renderer: Renderer, text: str) -> None:
    before = peak_memory()
    problem = await refused(renderer, text)
    assert problem.reason == "template_too_big", problem.describe()
    assert peak_memory() - before < HEADROOM
    params = {"template": "inline", "line": problem.params.get("line") or "?"}
    assert "far too large" in reason_text(problem.reason, params, "en")
    assert "viel zu" in reason_text(problem.reason, params, "de")


async def test_a_template_that_loops_for_ever_is_stopped_in_time(renderer: Renderer) -> None:
    problem = await refused(renderer, PYTHON_LOOP)
    assert problem.reason == "template_timeout", problem.describe()
    assert reason_text(problem.reason, {"template": "inline"}, "de") == (
        "die Vorlage inline brauchte zu lange und wurde abgebrochen")


async def test_the_event_loop_keeps_answering_while_hostile_templates_render(
        renderer: Renderer) -> None:
    gaps: list[float] = []
    rendering = asyncio.gather(*(render(renderer, text) for text in (BIG_INT, PYTHON_LOOP)),
                               return_exceptions=True)
    last = time.monotonic()
    while not rendering.done():
        await asyncio.sleep(0.01)  # another user's command, answered at once
        now = time.monotonic()
        gaps.append(now - last)
        last = now
    assert all(isinstance(result, TemplateProblem) for result in await rendering)
    assert max(gaps) < 1.0
    assert await render(renderer, "{{ 6 * 7 }}") == "42"


async def test_work_stuck_in_c_is_killed_and_the_worker_replaced() -> None:
    pool = RenderPool(workers=1)
    try:
        started = time.monotonic()
        with pytest.raises(WorkerStopped) as caught:  # 10**(64**5 * 213 bits): hours
            await pool.run(pow, 10**64, 64**5, seconds=0.5)
        assert caught.value.timed_out
        assert time.monotonic() - started < 2.0
        assert await pool.run(pow, 6, 2, seconds=0.5) == 36
    finally:
        await pool.close()


async def test_a_worker_cannot_allocate_beyond_its_limit() -> None:
    pool = RenderPool(workers=1)
    try:
        assert len(await pool.run(bytearray, 16 * MB, seconds=1.0)) == 16 * MB
        with pytest.raises(MemoryError):
            await pool.run(bytearray, HEADROOM + 16 * MB, seconds=1.0)
    finally:
        await pool.close()


async def test_a_worker_renders_on_after_running_out_of_memory() -> None:
    """The limit is set anew before each render: memory the last one left mapped (freed to
    the allocator, not to the system) does not eat into the next one's allowance."""
    renderer = Renderer(TEMPLATES, pool=RenderPool(workers=1))
    try:
        for _ in range(3):
            assert (await refused(renderer, BUFFER)).reason == "template_too_big"
            assert await render(renderer, "{{ ('x' * 900000)|length }}") == "900000"
    finally:
        await renderer.close()


async def test_a_worker_that_dies_fails_the_render_with_a_reason() -> None:
    class DeadPool(RenderPool):
        async def run(self, function: Callable[..., T], *args: Any, seconds: float) -> T:
            raise WorkerStopped(False, "the render process ended (-9)")

    renderer = Renderer(TEMPLATES, pool=DeadPool())
    problem = await refused(renderer, "{{ 1 }}")
    assert problem.reason == "template_too_big"


async def test_a_hostile_template_is_refused_when_the_rule_is_saved(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    new = await stage_id(services, "deal", "new")
    for text in (BIG_INT, TOO_BIG[1], PYTHON_LOOP):
        started = time.monotonic()
        with pytest.raises(TemplateProblem) as caught:
            await add_rule(automation, admin, new, "message_client", {"text": text})
        assert caught.value.reason in ("template_too_big", "template_timeout")
        assert time.monotonic() - started < 3.0
    assert await automation.rules.for_stage(admin, new) == []


async def test_a_template_made_hostile_by_client_data_fails_its_run_with_a_reason(
        services: CrmServices, admin: Staff, automation: Automation) -> None:
    won = await stage_id(services, "deal", "won")
    await add_rule(automation, admin, won, "message_client", title="Pad", params={
        "text": "{{ 'Hi'.ljust(item.amount|int // 100) }}"})  # sample deal: 15,000 → 150
    contact = await client_contact(services)
    deal = await services.items.create(admin, NewItem("deal", "Relaunch", amount=Decimal(10**9),
                                                      contact_id=contact.id))
    await services.items.move(admin, deal.id, won)
    await automation.tick()
    async with services.uow(write=False) as uow:
        (run,) = await repos(uow).runs.for_item(deal.id)
    assert run.reason_code == "template_too_big"
    assert reason_text(run.reason_code, run.reason_params, "en").startswith(
        "template inline line 1 was stopped: it would make a number or a text far too large")
