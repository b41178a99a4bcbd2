"""Rendering message templates: files from `templates/` or text written in the rule.

Languages: a file template named `messages/greeting.j2` is looked up as
`messages/<lang>/greeting.j2`, then in the default language's folder, then as named, so
translations sit side by side and an untranslated template still works. Every template
gets `lang`, and the filters `money`, `date`, `datetime` format for that language.
Limits (see sandbox.py for how time is capped): source size, output size (Telegram's
4096 characters), render time, loop budget.
"""

from __future__ import annotations

import asyncio
import copy
import traceback
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from crm.models import localized
from rules.context import Subject
from rules.errors import TemplateProblem
from rules.render_filters import install_filters
from rules.sandbox import RenderTimeout, budgeted_range, build_environment, run_with_deadline
from rules.texts import LANGUAGES

TELEGRAM_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """A template file name (relative to the templates folder) or inline text."""

    name: str | None = None
    text: str | None = None

    @property
    def label(self) -> str:
        return self.name or "inline"


class Renderer:
    def __init__(
        self,
        templates_dir: Path,
        timezone: str = "Europe/Berlin",
        default_language: str = "en",
        default_currency: str = "EUR",
        max_source: int = 8_000,
        max_output: int = TELEGRAM_LIMIT,
        seconds: float = 2.0,
        loop_budget: int = 10_000,
    ) -> None:
        self._env = build_environment(templates_dir)
        install_filters(self._env, timezone, default_currency)
        # Rules written in the chat carry their template text; compiling it is most of the
        # cost of a render, so compiled texts are kept (file templates: Jinja's own cache).
        self._compile_text = lru_cache(maxsize=512)(self._env.from_string)
        self.default_language = default_language
        self._max_source = max_source
        self._max_output = max_output
        self._seconds = seconds
        self._loop_budget = loop_budget

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
        template = self._load(source, str(context.get("lang") or self.default_language))
        work = partial(self._generate, template, source, context)
        try:
            # the deadline inside the thread ends the render; the outer timeout is a last line
            return await asyncio.wait_for(
                asyncio.to_thread(run_with_deadline, work, self._seconds), self._seconds * 2
            )
        except (RenderTimeout, TimeoutError) as exc:
            raise _problem("template_timeout", source, f"longer than {self._seconds}s") from exc

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

    def _load(self, source: TemplateSource, lang: str) -> Template:
        if source.text is not None:
            self._check_size(source, source.text)
            try:
                return self._compile_text(source.text)
            except TemplateSyntaxError as exc:
                raise _problem("template_error", source, exc.message, exc.lineno) from exc
        name = source.name or ""
        folder, _, base = name.rpartition("/")
        prefix = f"{folder}/" if folder else ""
        candidates = dict.fromkeys(
            [f"{prefix}{lang}/{base}", f"{prefix}{self.default_language}/{base}", name]
        )
        loader = self._env.loader
        assert loader is not None
        for candidate in candidates:
            try:
                text, _, _ = loader.get_source(self._env, candidate)
            except TemplateNotFound:
                continue
            self._check_size(source, text)
            try:
                return self._env.get_template(candidate)
            except TemplateSyntaxError as exc:
                raise _problem("template_error", source, exc.message, exc.lineno) from exc
        raise _problem("template_not_found", source, name)

    def _check_size(self, source: TemplateSource, text: str) -> None:
        if len(text) > self._max_source:
            raise _problem("template_too_large", source, f"{len(text)} > {self._max_source}")

    def _generate(self, template: Template, source: TemplateSource, ctx: dict[str, Any]) -> str:
        variables = {**ctx, "range": budgeted_range(self._loop_budget)}
        parts: list[str] = []
        size = 0
        try:
            for chunk in template.generate(variables):
                size += len(chunk)
                if size > self._max_output * 2:  # stop building; the exact cut is below
                    break
                parts.append(chunk)
        except RenderTimeout:
            raise
        except SecurityError as exc:
            raise _problem("template_unsafe", source, str(exc), _line(exc, template)) from exc
        except UndefinedError as exc:
            raise _problem("template_error", source, str(exc), _line(exc, template)) from exc
        except Exception as exc:  # template code can raise anything: a filter's TypeError...
            detail = f"{type(exc).__name__}: {exc}"
            raise _problem("template_error", source, detail, _line(exc, template)) from exc
        text = "".join(parts).strip()
        if len(text) > self._max_output:
            raise _problem("message_too_long", source, f"{len(text)} > {self._max_output}")
        return text


def _stage(stage: Any, language: str) -> dict[str, Any] | None:
    if stage is None:
        return None
    return {"name": localized(stage, language), "code": stage.code, "kind": stage.kind.value}


def _line(exc: BaseException, template: Template) -> int | None:
    """The template line an error happened on (Jinja rewrites tracebacks to template lines)."""
    filename = template.filename or "<template>"
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            found = lineno
    return found


def _problem(reason: str, source: TemplateSource, detail: str | None, line: int | None = None
             ) -> TemplateProblem:
    return TemplateProblem(field="template", value=source.label, reason=reason, line=line,
                           detail=detail)
