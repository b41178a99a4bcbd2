"""Benchmark of documents: invoices rendered per second and the peak memory of rendering
100 invoices with 50 products each, against a baseline measured in the same run.

    .venv/bin/python bench/documents.py                 # 100 invoices, 50 products each
    .venv/bin/python bench/documents.py --count 20 --products 10

What is measured is what the outbox does per document: the invoice template rendered by
the real Jinja environment (templates/documents/en/invoice.j2), then HTML → PDF with
WeasyPrint, one after the other. The baseline is the same invoice template for an item
without products (no product lines: header, totals, footer only), so the ratio says what
50 lines cost. Each case runs in a child process of its own, so that its peak resident
memory (ru_maxrss over all its renders, which covers Pango's C memory) is its own; a
second, traced pass over the first --traced documents (10 by default: tracemalloc makes
WeasyPrint several times slower, and nothing is kept from one document to the next) gives
the peak of Python allocations; it is not timed. The first render of a process loads the
fonts and is reported apart.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crm.models import Company, Contact, Item, Product, Role, Staff, Stage, StageKind  # noqa: E402
from rules.context import Subject  # noqa: E402
from rules.documents.create import SAMPLE_ISSUER, document_context, document_renderer  # noqa: E402
from rules.documents.model import DocType  # noqa: E402
from rules.documents.numbering import format_number  # noqa: E402
from rules.documents.pdf import render_pdf  # noqa: E402
from rules.rendering import Renderer, TemplateSource  # noqa: E402

TEMPLATE = TemplateSource(name="documents/invoice.j2")


def subject(products: int) -> Subject:
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    lines = [Product(f"Service line {n}: consulting, design and implementation work",
                     Decimal("123.45") + n, Decimal(n % 7 + 1)) for n in range(1, products + 1)]
    item = Item(id=1, type_code="deal", pipeline_id=2, stage_id=11, title="Website relaunch",
                amount=sum((p.total for p in lines), Decimal(0)) if lines else None,
                currency="EUR", contact_id=1, company_id=1, responsible_id=1, source=None,
                custom={}, closed=False, version=1, created_by=1, created_at=now,
                updated_at=now, stage_entered_at=now, products=lines)
    return Subject(item=item, stage=Stage(11, 2, "won", "Won", "Gewonnen", StageKind.SUCCESS, 6),
                   contact=Contact(1, "Anna Schmidt", email="anna@example.org"),
                   company=Company(1, "ACME GmbH"),
                   responsible=Staff(1, "Max Mustermann", Role.SALES))


async def html_of(renderer: Renderer, products: int, number: int) -> str:
    base = renderer.context(subject(products), "en", datetime.now(UTC))
    context = document_context(base, base["item"], DocType.INVOICE,
                               format_number("INV-", number), Decimal(19),
                               SAMPLE_ISSUER, 14)
    return await renderer.render(TEMPLATE, context)


async def one_case(products: int, count: int, traced: bool) -> dict[str, float]:
    """Runs in the child: the first render, then `count` renders (timed or traced)."""
    renderer = document_renderer(Renderer(ROOT / "templates"))
    started = time.perf_counter()
    first = render_pdf(await html_of(renderer, products, 0))
    first_seconds = time.perf_counter() - started
    if traced:
        tracemalloc.start()
    html_seconds = pdf_seconds = 0.0
    size = 0
    for number in range(1, count + 1):
        t0 = time.perf_counter()
        html = await html_of(renderer, products, number)
        t1 = time.perf_counter()
        size = len(render_pdf(html))
        html_seconds += t1 - t0
        pdf_seconds += time.perf_counter() - t1
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    return {"first_seconds": first_seconds, "html_seconds": html_seconds,
            "pdf_seconds": pdf_seconds, "pdf_bytes": size or len(first),
            "python_peak": peak,
            "max_rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}


def child(products: int, count: int, traced: bool) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-W", "ignore", __file__, "--child", "--products", str(products),
         "--count", str(count)] + (["--trace"] if traced else []),
        check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def mib(value: float) -> str:
    return f"{value / 2**20:,.1f} MiB"


def report(label: str, count: int, timed: dict[str, float], traced: dict[str, float]
           ) -> float:
    seconds = timed["html_seconds"] + timed["pdf_seconds"]
    rate = count / seconds
    print(f"{label}: {rate:.1f} documents/s ({seconds:.2f} s for {count}: HTML "
          f"{timed['html_seconds']:.2f} s, PDF {timed['pdf_seconds']:.2f} s); first render "
          f"{timed['first_seconds']:.2f} s; PDF {timed['pdf_bytes'] / 1024:,.0f} KiB; "
          f"peak RSS over all {count} {mib(timed['max_rss'])}, peak Python allocations "
          f"{mib(traced['python_peak'])}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--products", type=int, default=50)
    parser.add_argument("--traced", type=int, default=10,
                        help="documents rendered under tracemalloc (default 10)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(one_case(args.products, args.count, args.trace))))
        return
    print(f"{args.count} invoices, each rendered Jinja → HTML → PDF (WeasyPrint), one by one")
    base_timed, base_traced = child(0, args.count, False), child(0, args.traced, True)
    full_timed, full_traced = child(args.products, args.count, False), child(
        args.products, args.traced, True)
    base = report("baseline, no products", args.count, base_timed, base_traced)
    full = report(f"{args.products} products each", args.count, full_timed, full_traced)
    print(f"ratio to baseline: {base / full:.2f}× the time per document, "
          f"{full_timed['max_rss'] / base_timed['max_rss']:.2f}× the peak RSS, "
          f"{full_traced['python_peak'] / max(base_traced['python_peak'], 1):.2f}× the peak "
          f"Python allocations")


if __name__ == "__main__":
    main()
