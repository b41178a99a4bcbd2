"""Renders done before a run's transaction, remembered for when the run is applied.

Preparing a run executes its kind with a renderer that answers from this memo: a template
not rendered yet stops the kind (NeedsRender); the executor renders what was wanted with no
transaction and no lock held, and prepares the run again. When a data-changing kind is
applied inside the write transaction, it renders the same templates against the same
context and gets the remembered text; a render the memo does not hold means the data moved
since the run was prepared (Unprepared: the run is prepared anew) — or, as a last resort
for a run that keeps moving, it is rendered there and then.
"""

from __future__ import annotations

import copy
import enum
import logging
from typing import Any

from rules.errors import TemplateProblem
from rules.rendering import Renderer, TemplateSource

log = logging.getLogger(__name__)
_Key = tuple[TemplateSource, tuple[int, int, int, float], str]


class NeedsRender(Exception):
    """A template the memo has not rendered yet; not an AppError, so no kind catches it."""


class Unprepared(Exception):
    """Applying a run met a render its preparation did not do."""


class Mode(enum.Enum):
    COLLECT = "collect"  # preparing: note what is wanted, stop the kind
    REPLAY = "replay"  # applying: only what was prepared
    LIVE = "live"  # applying, last resort: render inside the transaction


class RenderMemo:
    def __init__(self) -> None:
        self.mode = Mode.COLLECT
        self._done: dict[_Key, list[tuple[dict[str, Any], str | TemplateProblem]]] = {}
        self._wanted: list[tuple[Renderer, TemplateSource, dict[str, Any]]] = []

    async def render(self, renderer: Renderer, source: TemplateSource,
                     context: dict[str, Any]) -> str:
        for seen, outcome in self._done.get(_key(renderer, source, context), ()):
            if seen == context:
                if isinstance(outcome, TemplateProblem):
                    raise outcome
                return outcome
        if self.mode is Mode.COLLECT:
            self._wanted.append((renderer, source, copy.deepcopy(context)))
            raise NeedsRender
        if self.mode is Mode.REPLAY:
            raise Unprepared
        log.info("rendering %s inside a run's transaction (its data kept moving)", source.label)
        return await renderer.render(source, context)

    async def render_wanted(self) -> None:
        """Renders what preparing wanted; call with no transaction open."""
        wanted, self._wanted = self._wanted, []
        for renderer, source, context in wanted:
            done = self._done.setdefault(_key(renderer, source, context), [])
            if any(seen == context for seen, _ in done):
                continue
            outcome: str | TemplateProblem
            try:
                outcome = await renderer.render(source, context)
            except TemplateProblem as problem:
                outcome = problem
            done.append((context, outcome))


class MemoRenderer(Renderer):
    """`inner` (its environment and limits), answering through the memo."""

    def __init__(self, inner: Renderer, memo: RenderMemo) -> None:  # inner's state, copied
        self.__dict__.update(vars(inner))
        self._inner = inner
        self._memo = memo

    async def render(self, source: TemplateSource, context: dict[str, Any]) -> str:
        return await self._memo.render(self._inner, source, context)

    def with_limits(self, *, max_source: int, max_output: int) -> Renderer:
        return MemoRenderer(self._inner.with_limits(max_source=max_source,
                                                    max_output=max_output), self._memo)


def _key(renderer: Renderer, source: TemplateSource, context: dict[str, Any]) -> _Key:
    return source, renderer.limits, str(context.get("lang"))
