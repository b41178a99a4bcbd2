"""Message templates as an admin reads them: rendered for the made-up sample item in the
admin's language, on one line without HTML, e.g. "Hallo Anna Schmidt! Vielen Dank für Ihr
Interesse an Website relaunch." — shown instead of file names and Jinja placeholders.

Previews are kept per (template, file time, language): a list of rules renders each
template once, and an edited file is rendered anew.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

from rules.errors import TemplateProblem
from rules.rendering import Renderer, TemplateSource
from rules.samples import sample_subject

MAX_KEPT = 512
_TAG = re.compile(r"<[^>]+>")
_kept: dict[tuple[str, str, float, str], str] = {}


def one_line(text: str, limit: int) -> str:
    text = " ".join(html.unescape(_TAG.sub("", text)).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


class Previews:
    def __init__(self, renderer: Renderer, templates_dir: Path) -> None:
        self._renderer = renderer
        self._templates_dir = templates_dir

    async def message(self, source: TemplateSource, language: str, limit: int = 60
                      ) -> str | None:
        """The text the sample client would get, shortened to `limit`; None when the
        template does not render (the rule's check tells why)."""
        key = (source.name or "", source.text or "", self._file_time(source, language),
               language)
        if key not in _kept:
            context = self._renderer.context(sample_subject(datetime.now(UTC)), language,
                                             datetime.now(UTC))
            try:
                _kept[key] = await self._renderer.render(source, context)
            except TemplateProblem:
                return None
            if len(_kept) > MAX_KEPT:
                _kept.pop(next(iter(_kept)))
        return one_line(_kept[key], limit)

    def _file_time(self, source: TemplateSource, language: str) -> float:
        if not source.name:
            return 0.0
        name = Path(source.name)
        for path in (self._templates_dir / name.parent / language / name.name,
                     self._templates_dir / name):
            if path.is_file():
                return path.stat().st_mtime
        return 0.0
