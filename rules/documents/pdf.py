"""HTML to PDF with WeasyPrint. Called in a worker thread by the outbox, never while a
database transaction is open: a render takes a good part of a second and the database has
one writer.

WeasyPrint needs Pango (libpango-1.0) from the system; it is imported on first use, so a
machine without it fails the document with a readable reason instead of at start-up.
Documents load nothing from outside: only `data:` URLs (an inline logo) are fetched, so
a template cannot pull in local files (`file:`) or reach the network.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class PdfFailed(Exception):
    """The PDF could not be made; trying again would not help."""


def render_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except OSError as exc:  # the system library (Pango) is missing
        raise PdfFailed(f"the PDF engine cannot start: {exc}") from exc
    try:
        fetcher = URLFetcher(allowed_protocols=("data",), allow_redirects=False)
        pdf: bytes = HTML(string=html, url_fetcher=fetcher).write_pdf()
    except Exception as exc:  # a layout engine can fail in many ways on odd input; the
        raise PdfFailed(f"{type(exc).__name__}: {exc}") from exc  # same HTML fails again
    if not pdf:
        raise PdfFailed("the PDF engine returned nothing")
    return pdf


def write_atomically(path: Path, data: bytes) -> None:
    """Writes the file under a temporary name, then renames it: a crash never leaves a
    half-written PDF under the real name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
