"""/report leads [period]: the text and the chart's labels."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from babel.numbers import format_percent

from bot.mode.texts import source_text
from bot.reports.period import Period
from bot.reports.period import dates as period_dates
from crm.services.lead_report import LeadReport, LeadSourceRow


def _rates(row: LeadSourceRow, language: str) -> str:
    # each count in its own plural form: "1 lead → 1 deal", "1 Lead → 1 Auftrag"
    return _("{leads} → {deals} ({deal_rate}) → {won} ({won_rate})").format(
        leads=ngettext("{count} lead", "{count} leads", row.leads).format(count=row.leads),
        deals=ngettext("{count} deal", "{count} deals", row.converted).format(
            count=row.converted),
        won=_("{count} won").format(count=row.won),
        deal_rate=format_percent(row.conversion_rate, locale=language),
        won_rate=format_percent(row.win_rate, locale=language))


def dates(report: LeadReport, period: Period, language: str, timezone: str) -> str:
    return period_dates(period, report.period_start, report.period_end, language, timezone)


def report_text(report: LeadReport, period: Period, language: str, timezone: str) -> str:
    lines = [_("<b>Leads by source</b> · {period}").format(
        period=dates(report, period, language, timezone)), ""]
    if not report.rows:
        lines.append(_("No leads were created in this period."))
        return "\n".join(lines)
    for row in report.rows:
        lines.append(f"• <b>{source_text(row.source)}</b>: {_rates(row, language)}")
    total = _("Total")
    lines += ["", f"<b>{total}</b>: {_rates(report.total, language)}", "",
              _("“Deals”: leads converted into a deal; “won”: that deal is won now.")]
    return "\n".join(lines)


def chart_labels(report: LeadReport) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Categories and series of the bar chart, translated."""
    categories = [source_text(row.source) for row in report.rows]
    series = [
        (_("Leads"), [row.leads for row in report.rows]),
        (_("Became deals"), [row.converted for row in report.rows]),
        (_("Won"), [row.won for row in report.rows]),
    ]
    return categories, series


def chart_title(report: LeadReport, period: Period, language: str, timezone: str) -> str:
    return _("Leads by source · {period}").format(
        period=dates(report, period, language, timezone))
