"""One render as the worker process runs it (render_worker.py): find the template (a file
in the recipient's language, or inline text), render it in the capped sandbox, stream the
output and cut it at the limit, and turn every failure into a TemplateProblem.

Languages: a file template named `messages/greeting.j2` is looked up as
`messages/<lang>/greeting.j2`, then in the default language's folder, then as named, so
translations sit side by side and an untranslated template still works.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from rules.errors import TemplateProblem
from rules.reason_codes import Reason
from rules.render_filters import install_filters
from rules.sandbox import RenderTimeout, budgeted_range, build_environment
from rules.sandbox_caps import TooLarge


@dataclass(frozen=True, slots=True)
class TemplateSource:
    """A template file name (relative to the templates folder) or inline text."""

    name: str | None = None
    text: str | None = None

    @property
    def label(self) -> str:
        return self.name or "inline"


@dataclass(frozen=True, slots=True)
class Setup:
    """What a worker builds its environment from (the same for all renders of a bot)."""

    templates_dir: Path
    timezone: str
    default_language: str
    default_currency: str


@dataclass(frozen=True, slots=True)
class RenderJob:
    source: TemplateSource
    context: dict[str, Any]  # crm.models dataclasses and plain values: sent pickled
    language: str
    max_source: int
    max_output: int
    loop_budget: int


class Templates:
    def __init__(self, setup: Setup) -> None:
        self._env = build_environment(setup.templates_dir)
        install_filters(self._env, setup.timezone, setup.default_currency)
        # Rules written in the chat carry their template text; compiling it is most of the
        # cost of a render, so compiled texts are kept (file templates: Jinja's own cache).
        self._compile_text = lru_cache(maxsize=512)(self._env.from_string)
        self._default_language = setup.default_language

    def render(self, job: RenderJob) -> str:
        """The rendered text, stripped; raises TemplateProblem (and lets RenderTimeout and
        MemoryError through: the worker reports those)."""
        template = self._load(job)
        return _generate(template, job)

    def _load(self, job: RenderJob) -> Template:
        source = job.source
        if source.text is not None:
            _check_size(job, source.text)
            try:
                return self._compile_text(source.text)
            except TemplateSyntaxError as exc:
                raise problem(Reason.TEMPLATE_ERROR, source, exc.message, exc.lineno) from exc
        name = source.name or ""
        folder, _, base = name.rpartition("/")
        prefix = f"{folder}/" if folder else ""
        candidates = dict.fromkeys(
            [f"{prefix}{job.language}/{base}", f"{prefix}{self._default_language}/{base}", name])
        loader = self._env.loader
        assert loader is not None
        for candidate in candidates:
            try:
                text, _, _ = loader.get_source(self._env, candidate)
            except TemplateNotFound:
                continue
            _check_size(job, text)
            try:
                return self._env.get_template(candidate)
            except TemplateSyntaxError as exc:
                raise problem(Reason.TEMPLATE_ERROR, source, exc.message, exc.lineno) from exc
        raise problem(Reason.TEMPLATE_NOT_FOUND, source, name)


def _check_size(job: RenderJob, text: str) -> None:
    if len(text) > job.max_source:
        raise problem(Reason.TEMPLATE_TOO_LARGE, job.source, f"{len(text)} > {job.max_source}")


def _generate(template: Template, job: RenderJob) -> str:
    source = job.source
    variables = {**job.context, "range": budgeted_range(job.loop_budget)}
    parts: list[str] = []
    size = 0
    try:
        for chunk in template.generate(variables):
            size += len(chunk)
            if size > job.max_output * 2:  # stop building; the exact cut is below
                break
            parts.append(chunk)
    except (RenderTimeout, MemoryError):
        raise
    except TooLarge as exc:
        raise problem(Reason.TEMPLATE_TOO_BIG, source, str(exc), _line(exc, template)) from exc
    except SecurityError as exc:
        raise problem(Reason.TEMPLATE_UNSAFE, source, str(exc), _line(exc, template)) from exc
    except UndefinedError as exc:
        raise problem(Reason.TEMPLATE_ERROR, source, str(exc), _line(exc, template)) from exc
    except Exception as exc:  # template code can raise anything: a filter's TypeError...
        detail = f"{type(exc).__name__}: {exc}"
        raise problem(Reason.TEMPLATE_ERROR, source, detail, _line(exc, template)) from exc
    text = "".join(parts).strip()
    if len(text) > job.max_output:
        raise problem(Reason.MESSAGE_TOO_LONG, source, f"{len(text)} > {job.max_output}")
    return text


def _line(exc: BaseException, template: Template) -> int | None:
    """The template line an error happened on (Jinja rewrites tracebacks to template lines)."""
    filename = template.filename or "<template>"
    found = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if frame.f_code.co_filename == filename:
            found = lineno
    return found


def problem(reason: Reason, source: TemplateSource, detail: str | None, line: int | None = None
            ) -> TemplateProblem:
    return TemplateProblem(field="template", value=source.label, reason=reason, line=line,
                           detail=detail)
