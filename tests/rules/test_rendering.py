"""Templates render in a sandbox with caps, in the recipient's language."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from rules.errors import TemplateProblem
from rules.rendering import Renderer, TemplateSource
from rules.samples import sample_subject

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(TEMPLATES, timezone="Europe/Berlin", seconds=0.5)


async def _render(renderer: Renderer, text: str, lang: str = "en") -> str:
    context = renderer.context(sample_subject(NOW), lang, NOW)
    return await renderer.render(TemplateSource(text=text), context)


async def test_money_and_dates_follow_the_language(renderer: Renderer) -> None:
    text = "{{ item.amount|money }} · {{ now|date }} · {{ stage.name }}"
    assert await _render(renderer, text, "en") == "€15,000.00 · Nov 23, 2026 · New"
    assert await _render(renderer, text, "de") == "15.000,00\xa0€ · 23.11.2026 · Neu"


async def test_file_templates_are_looked_up_per_language(renderer: Renderer) -> None:
    context = renderer.context(sample_subject(NOW), "de", NOW)
    text = await renderer.render(TemplateSource(name="messages/greeting.j2"), context)
    assert text.startswith("Hallo Anna Schmidt!")


async def test_client_data_is_escaped_for_telegram_html(renderer: Renderer) -> None:
    subject = sample_subject(NOW)
    subject.item.title = "<b>hack</b> & co"
    context = renderer.context(subject, "en", NOW)
    text = await renderer.render(TemplateSource(text="<b>{{ item.title }}</b>"), context)
    assert text == "<b>&lt;b&gt;hack&lt;/b&gt; &amp; co</b>"


@pytest.mark.parametrize(("text", "reason"), [
    ("{{ ''.__class__.__mro__ }}", "template_unsafe"),
    ("{{ 'x' * 10000000 }}", "template_too_big"),
    ("{% for i in range(10**6) %}{% endfor %}", "template_unsafe"),
    ("{% for i in range(5000) %}{% for j in range(5000) %}{% endfor %}{% endfor %}",
     "template_unsafe"),
    ("{{ 'a' * 3000 }}{{ 'b' * 3000 }}", "message_too_long"),
    ("{{ missing }}", "template_error"),
    ("{{ missing|money }} {{ item.nothing|date }}", "template_error"),
    ("{% if %}", "template_error"),
])
async def test_runaway_or_unsafe_templates_are_stopped(renderer: Renderer, text: str,
                                                       reason: str) -> None:
    with pytest.raises(TemplateProblem) as caught:
        await _render(renderer, text)
    assert caught.value.reason == reason


async def test_a_slow_template_is_cut_off(renderer: Renderer) -> None:
    slow = "{% for i in range(9000) %}{{ (i|string * 50)|wordcount }}{% endfor %}" * 1
    with pytest.raises(TemplateProblem) as caught:
        renderer_fast = Renderer(TEMPLATES, seconds=0.01)
        await renderer_fast.render(TemplateSource(text=slow),
                                   renderer.context(sample_subject(NOW), "en", NOW))
    assert caught.value.reason in ("template_timeout", "message_too_long")
