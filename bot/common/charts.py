"""Charts as PNG images, drawn with matplotlib's Agg backend (no display, no pyplot state:
safe to call from a worker thread). Pure: labels come translated, bytes go out."""

from __future__ import annotations

import io
from collections.abc import Sequence


def grouped_bars_png(categories: Sequence[str], series: Sequence[tuple[str, Sequence[int]]],
                     title: str) -> bytes:
    """A bar chart with one group of bars per category, one bar per series."""
    # Imported here: matplotlib is heavy, and only reports need it.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(8, 4.5), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    width = 0.8 / max(len(series), 1)
    positions = range(len(categories))
    for index, (name, values) in enumerate(series):
        bars = axes.bar([p + (index - (len(series) - 1) / 2) * width for p in positions],
                        values, width, label=name)
        axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_xticks(list(positions), list(categories))
    axes.set_title(title)
    locator = axes.yaxis.get_major_locator()
    assert isinstance(locator, MaxNLocator)  # the default AutoLocator is one
    locator.set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
