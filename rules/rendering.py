"""Rendering message templates: files from `templates/` or text written in the rule.

Every template gets `lang`, and the filters `money`, `date`, `datetime` format for that
language (see render_job.py for how a file is found per language). Limits: source size,
output size (Telegram's 4096 characters), loop budget, the sandbox's size caps
(sandbox.py), and render time and memory, enforced from outside: the render runs in a
worker process (render_worker.py), so a hostile template never holds the event loop.
"""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Any

from crm.i18n import LANGUAGES
from crm.models import localized
from rules.context import Subject
from rules.errors import TemplateProblem
from rules.reason_codes import Reason
from rules.render_job import RenderJob, Setup, TemplateSource, problem
from rules.render_worker import HEADROOM, SHARED, RenderPool, WorkerStopped, render_in_worker

__all__ = ["TELEGRAM_LIMIT", "Renderer", "TemplateSource"]
TELEGRAM_LIMIT = 4096


class Renderer:
    def __init__(
        self,
        templates_dir: Path,
        timezone: str = "Europe/Berlin",
        default_language: str = "en",
        default_currency: str = "EUR",
        max_source: int = 8_000,
        max_output: int = TELEGRAM_LIMIT,
        seconds: float = 1.0,
        loop_budget: int = 10_000,
        pool: RenderPool = SHARED,
    ) -> None:
        self._setup = Setup(Path(templates_dir), timezone, default_language, default_currency)
        self.default_language = default_language
        self._max_source = max_source
        self._max_output = max_output
        self._seconds = seconds
        self._loop_budget = loop_budget
        self._pool = pool

    def context(self, subject: Subject, language: str, now: datetime) -> dict[str, Any]:
        """The variables a template sees."""
        return {
            "item": subject.item,
            "contact": subject.contact,
            "company": subject.company,
            "responsible": subject.responsible,
            "stage": _stage(subject.stage, language),
            "previous_stage": _stage(subject.previous_stage, language),
            "now": now,
            "lang": language,
        }

    async def render(self, source: TemplateSource, context: dict[str, Any]) -> str:
        """The rendered text, stripped; raises TemplateProblem."""
        job = RenderJob(source, context, str(context.get("lang") or self.default_language),
                        self._max_source, self._max_output, self._loop_budget)
        try:
            kind, value = await self._pool.run(render_in_worker, self._setup, job,
                                               self._seconds, seconds=self._seconds)
        except WorkerStopped as stopped:
            reason = Reason.TEMPLATE_TIMEOUT if stopped.timed_out else Reason.TEMPLATE_TOO_BIG
            raise problem(reason, source, str(stopped)) from stopped
        if kind == "text":
            return str(value)
        if kind == "problem":
            raise TemplateProblem(**value)
        if kind == "timeout":
            raise problem(Reason.TEMPLATE_TIMEOUT, source, f"longer than {self._seconds}s")
        raise problem(Reason.TEMPLATE_TOO_BIG, source, f"needs more than {HEADROOM >> 20} MB")

    @property
    def limits(self) -> tuple[int, int, int, float]:
        """What, beside the source and the context, decides a render's outcome."""
        return self._max_source, self._max_output, self._loop_budget, self._seconds

    def with_limits(self, *, max_source: int, max_output: int) -> Renderer:
        """The same environment with other size caps: documents and e-mails are longer
        than a Telegram message."""
        other = copy.copy(self)
        other._max_source, other._max_output = max_source, max_output
        return other

    async def validate(self, source: TemplateSource, context: dict[str, Any]) -> None:
        """For saving a rule: the template compiles and renders against `context` in every
        language (see rules.samples for a sample context)."""
        for lang in LANGUAGES:
            await self.render(source, {**context, "lang": lang})

    async def close(self) -> None:
        """Ends the render workers (at shutdown; a later render would start them again)."""
        await self._pool.close()


def _stage(stage: Any, language: str) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {"name": localized(stage, language), "code": stage.code, "kind": stage.kind.value}
