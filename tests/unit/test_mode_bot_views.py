"""The CRM-mode feature's pure bot-side pieces: periods, the lead line, the chart, and the
error sentences."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bot.common.charts import grouped_bars_png
from bot.i18n import build_i18n
from bot.leads.views import parse_lead_line
from bot.mode.texts import mode_error_text
from bot.reports.period import EPOCH, parse_period
from crm.errors import Entity, InputProblem, InvalidAmount, InvalidInput, NotFound
from crm.services.lead_conversion import LeadAlreadyConverted
from crm.services.mode import LeadsDisabled

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def english() -> object:
    i18n = build_i18n("en")
    with i18n.context(), i18n.use_locale("en"):
        yield


@pytest.mark.parametrize(("text", "days"), [("", 30), ("7d", 7), ("30d", 30), ("90 days", 90),
                                            ("14t", 14)])
def test_periods_of_days_end_just_after_now(text: str, days: int) -> None:
    period = parse_period(text, NOW, "Europe/Berlin")
    assert period is not None
    assert (period.start, period.end) == (NOW - timedelta(days=days), NOW + timedelta(seconds=1))


def test_month_starts_at_local_midnight_of_the_first_and_all_at_the_epoch() -> None:
    month = parse_period("month", NOW, "Europe/Berlin")
    assert month is not None and month.start == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)
    everything = parse_period("ALL", NOW, "Europe/Berlin")
    assert everything is not None and everything.start == EPOCH
    for wrong in ("0d", "soon", "-5d", "month 2"):
        assert parse_period(wrong, NOW, "Europe/Berlin") is None


def test_the_lead_line() -> None:
    line = parse_lead_line("Lead Trade fair; 1.500 EUR; Anna Schmidt; E-Mail")
    assert line is not None
    assert (line.title, line.contact_name, line.source) == ("Trade fair", "Anna Schmidt", "email")
    assert line.money is not None and line.money.amount == Decimal(1500)
    bare = parse_lead_line("lead")
    assert bare is not None and (bare.title, bare.money, bare.source) == ("", None, None)
    assert parse_lead_line("deal Trade fair") is None
    with pytest.raises(InvalidAmount):
        parse_lead_line("lead Trade fair; lots")


def test_the_chart_is_a_png() -> None:
    png = grouped_bars_png(["Website", "Call"], [("Leads", [3, 1]), ("Won", [1, 0])], "Leads")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_error_sentences_of_the_feature_and_none_for_others() -> None:
    assert "/mode classic" in (mode_error_text(LeadsDisabled(type="lead")) or "")
    assert mode_error_text(LeadAlreadyConverted(lead_id=4, deal_id=9)) == (
        "Lead #4 was converted before: its deal is #9.")
    assert "is not a lead source" in (mode_error_text(
        InvalidInput(field="source", value="fax", problem=InputProblem.UNKNOWN_SOURCE)) or "")
    assert mode_error_text(NotFound(what=Entity.ITEM, ref=1)) is None
    assert mode_error_text(InvalidInput(field="title", value="")) is None
