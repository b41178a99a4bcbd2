"""/report leads [period]: the period, the text and the chart's labels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date
from babel.numbers import format_percent

from bot.mode.texts import source_text
from crm.services.lead_report import LeadReport, LeadSourceRow

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
DAYS = re.compile(r"(\d{1,4})\s*(d|t|days?|tage?)")
MONTH = ("month", "monat")
ALL = ("all", "alle", "alles")


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime
    end: datetime  # exclusive: a moment after now, so that what happened now counts
    label: str


def parse_period(text: str, now: datetime, timezone: str) -> Period | None:
    """`7d`, `30d` (any number of days), `month` (this calendar month) or `all`;
    nothing means 30 days. None when the text is none of these."""
    word = text.strip().lower() or "30d"
    end = now + timedelta(seconds=1)
    if found := DAYS.fullmatch(word):
        days = int(found.group(1))
        if days < 1:
            return None
        return Period(now - timedelta(days=days), end,
                      _("last {n} days").format(n=days))
    if word in MONTH:
        local = now.astimezone(ZoneInfo(timezone))
        first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        return Period(first, end, _("this month"))
    if word in ALL:
        return Period(EPOCH, end, _("all time"))
    return None


def report_usage() -> str:
    return _("/report leads [period] — period: 7d, 30d (or any number of days), month, all; "
             "e.g. /report leads month")


def _rates(row: LeadSourceRow, language: str) -> str:
    return _("{leads} leads → {deals} deals ({deal_rate}) → {won} won ({won_rate})").format(
        leads=row.leads, deals=row.converted, won=row.won,
        deal_rate=format_percent(row.conversion_rate, locale=language),
        won_rate=format_percent(row.win_rate, locale=language))


def dates(report: LeadReport, period: Period, language: str, timezone: str) -> str:
    zone = ZoneInfo(timezone)
    start = format_date(max(report.period_start, period.start).astimezone(zone), "medium",
                        locale=language)
    end = format_date((report.period_end - timedelta(seconds=1)).astimezone(zone), "medium",
                      locale=language)
    return f"{period.label}: {start} – {end}" if period.start != EPOCH else period.label


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
