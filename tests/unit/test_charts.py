"""The report charts stay readable in both languages: the legend never covers a bar, and
every label, the legend and the title lie inside the picture."""

from __future__ import annotations

from itertools import pairwise

import pytest
from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from bot.common.charts import grouped_bars

Chart = tuple[list[str], list[tuple[str, list[int]]], str]

LEADS_DE: Chart = (["Website", "Telegram", "Anruf", "E-Mail", "Veranstaltung", "Sonstiges",
             "Ohne Quelle"],
            [("Leads", [12, 7, 3, 2, 1, 1, 4]), ("In Aufträge konvertiert", [5, 2, 1, 0, 0, 0, 1]),
             ("Gewonnen", [2, 1, 0, 0, 0, 0, 0])],
            "Leads nach Quelle · letzte 30 Tage (01.11.2026 – 30.11.2026)")
LEADS_EN: Chart = (["Website", "Telegram", "Call"],
            [("Leads", [3, 2, 1]), ("Became deals", [2, 0, 0]), ("Won", [1, 0, 0])],
            "Leads by source · last 30 days")
FUNNEL_DE: Chart = (["Neu", "Vorbereitung der Unterlagen", "Angebot verschickt", "Verhandlung",
              "Rechnung gestellt", "Gewonnen"],
             [(name, [20, 15, 10, 7, 5, 4]) for name in
              ("Team", "Anna Schmidt", "Bernd Müller-Lüdenscheidt", "Carla", "Dieter")],
             "Trichter · Auftrag · letzte 7 Tage (24.11.2026 – 30.11.2026)")


def _drawn(figure: Figure) -> RendererBase:
    figure.canvas.draw()
    return figure.canvas.get_renderer()  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("chart", [LEADS_DE, LEADS_EN, FUNNEL_DE])
def test_the_legend_sits_above_the_bars_and_everything_fits(chart: Chart) -> None:
    figure = grouped_bars(*chart)
    renderer = _drawn(figure)
    [axes] = figure.axes
    legend = axes.get_legend()
    assert legend is not None
    plot = axes.get_window_extent(renderer)
    box = legend.get_window_extent(renderer)
    assert box.y0 >= plot.y1 - 1  # above the plot area, so above every bar
    title = axes.title.get_window_extent(renderer)
    assert title.y0 >= box.y1 - 1  # and the title above the legend
    whole = Bbox.from_bounds(0, 0, figure.bbox.width, figure.bbox.height)
    parts = [box, title] + [label.get_window_extent(renderer)
                            for label in axes.get_xticklabels()]
    for part in parts:
        assert whole.x0 - 1 <= part.x0 and part.x1 <= whole.x1 + 1
        assert whole.y0 - 1 <= part.y0 and part.y1 <= whole.y1 + 1
    labels = sorted((label.get_window_extent(renderer) for label in axes.get_xticklabels()),
                    key=lambda extent: extent.x0)
    assert all(left.x1 <= right.x0 for left, right in pairwise(labels))
