"""Charts as PNG images, drawn with matplotlib's Agg backend (no display, no pyplot state:
safe to call from a worker thread). Pure: labels come translated, bytes go out."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LEGEND_COLUMNS = 4  # names of a team's people side by side; more go to a second row


def _wrapped(label: str, count: int) -> str:
    """A category's label in lines that fit its share of the width (German words are long)."""
    return textwrap.fill(label, width=max(8, 90 // max(count, 1)), break_long_words=False)


def grouped_bars_png(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
                     title: str) -> bytes:
    """A bar chart with one group of bars per category, one bar per series."""
    buffer = io.BytesIO()
    grouped_bars(categories, series, title).savefig(buffer, format="png")
    return buffer.getvalue()


def grouped_bars(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
                 title: str) -> Figure:
    """The chart's figure (drawn by an Agg canvas), for grouped_bars_png and tests."""
    # Imported here: matplotlib is heavy, and only reports need it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # constrained layout keeps the title, the legend above the bars and long labels inside
    figure = Figure(figsize=(8, 4.5), dpi=110, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    width = 0.8 / max(len(series), 1)
    positions = range(len(categories))
    for index, (name, values) in enumerate(series):
        bars = axes.bar([p + (index - (len(series) - 1) / 2) * width for p in positions],
                        values, width, label=name)
        axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_xticks(list(positions), [_wrapped(c, len(categories)) for c in categories])
    columns = min(len(series), LEGEND_COLUMNS)
    rows = -(-len(series) // columns) if len(series) > 1 else 0
    axes.set_title(title, pad=6 + 20 * rows)
    locator = axes.yaxis.get_major_locator()
    assert isinstance(locator, MaxNLocator)  # the default AutoLocator is one
    locator.set_params(integer=True)
    top = max((max(values, default=0) for _name, values in series), default=0)
    axes.set_ylim(0, max(top * 1.12, 1))  # room for the numbers on the highest bars
    axes.spines[["top", "right"]].set_visible(False)
    if len(series) > 1:  # above the bars, in rows of LEGEND_COLUMNS: it never covers one
        axes.legend(frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                    ncols=columns, fontsize=9)
    return figure
