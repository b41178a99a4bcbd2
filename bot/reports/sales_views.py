"""/report sales [type] [period]: the funnel, win rate, days per stage and lost reasons of
a pipeline as text, and the funnel's bar chart labels. Pure: the report comes in, text out."""

from __future__ import annotations

from decimal import Decimal

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.numbers import format_decimal, format_percent

from bot.common.formatting import escape, person
from bot.reports.period import Period, dates
from crm.models import EntityType, localized
from crm.services.reports import SalesFigures, SalesReport

CHART_PEOPLE = 6  # the chart's bars per stage: the team and at most this many people


def pipeline_label(report: SalesReport, entity_type: EntityType, several: bool,
                   language: str) -> str:
    """The type, and the pipeline when the type has several."""
    label = localized(entity_type, language)
    if several:
        label += " · " + localized(report.pipeline, language)
    return label


def _percent(rate: float | None, language: str) -> str:
    return "—" if rate is None else str(format_percent(rate, locale=language))


def _days(days: float, language: str) -> str:
    shown = Decimal(str(round(days, 1))).normalize()
    text = str(format_decimal(shown, format="#,##0.#", locale=language))
    return ngettext("⌀ {days} day", "⌀ {days} days", 1 if shown == 1 else 2).format(days=text)


def _block(figures: SalesFigures, language: str) -> list[str]:
    name = escape(_("Team")) if figures.person is None else person(figures.person)
    lines = [f"<b>{name}</b>"]
    for index, stage in enumerate(figures.stages):
        line = f"• {escape(localized(stage.stage, language))}: {stage.reached}"
        if index:
            line += f" ({_percent(stage.conversion, language)})"
        if stage.average_days is not None:
            line += " · " + _days(stage.average_days, language)
        lines.append(line)
    lines.append(_("Won {won} · lost {lost} · win rate {rate}").format(
        won=figures.won, lost=figures.lost, rate=_percent(figures.win_rate, language)))
    return lines


def sales_text(report: SalesReport, label: str, period: Period, language: str,
               timezone: str) -> str:
    when = dates(period, report.period_start, report.period_end, language, timezone)
    lines = [_("<b>Sales</b> · {pipeline} · {period}").format(
        pipeline=escape(label), period=when), ""]
    if report.team.empty:
        lines.append(_("Nothing entered a stage of this pipeline in this period."))
        return "\n".join(lines)
    lines += _block(report.team, language)
    for figures in report.people:
        lines += ["", *_block(figures, language)]
    if report.lost_reasons:
        lines += ["", "<b>" + _("Lost reasons") + "</b>"]
        lines += [f"• {escape(_(reason))}: {count}" for reason, count in report.lost_reasons]
    lines += ["", _("Per stage: items that reached it (or a later stage) in the period, "
                    "in brackets the share of the stage before; ⌀ days spent in it; "
                    "win rate: won of won and lost.")]
    return "\n".join(lines)


def chart_labels(report: SalesReport, language: str
                 ) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Categories (the stages, then won) and series (the team, each person) of the chart."""
    categories = [localized(s.stage, language) for s in report.team.stages] + [_("Won")]
    series = []
    for figures in [report.team, *report.people[:CHART_PEOPLE]]:
        name = _("Team") if figures.person is None else figures.person.name
        series.append((name, [s.reached for s in figures.stages] + [figures.won]))
    return categories, series


def chart_title(label: str, report: SalesReport, period: Period, language: str,
                timezone: str) -> str:
    return _("Funnel · {pipeline} · {period}").format(
        pipeline=label,
        period=dates(period, report.period_start, report.period_end, language, timezone))
