"""Template filters that speak the recipient's language: money, date, datetime (Babel).

They read `lang` (and for money the item's currency) from the render context, so a
template writes `{{ item.amount|money }}` or `{{ item.custom.deadline|date }}`.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from jinja2 import Environment, Undefined, pass_context
from jinja2.runtime import Context

from crm.i18n import babel_locale
from rules.conditions.operators import to_moment, to_number


def install_filters(env: Environment, timezone: str, default_currency: str) -> None:
    zone = ZoneInfo(timezone)

    @pass_context
    def money(context: Context, value: Any, currency: str | None = None) -> str:
        amount = to_number(_defined(value))
        if amount is None:
            return ""
        item = context.get("item")
        code = currency or getattr(item, "currency", None) or default_currency
        return format_currency(Decimal(amount), code, locale=_locale(context))

    @pass_context
    def date_filter(context: Context, value: Any, format: str = "medium") -> str:
        moment = to_moment(_defined(value), zone)
        if moment is None:
            return ""
        day = moment.astimezone(zone).date() if isinstance(moment, datetime) else moment
        return format_date(day, format=format, locale=_locale(context))

    @pass_context
    def datetime_filter(context: Context, value: Any, format: str = "medium") -> str:
        moment = to_moment(_defined(value), zone)
        if moment is None:
            return ""
        if not isinstance(moment, datetime):
            return format_date(moment, format=format, locale=_locale(context))
        return format_datetime(moment, format=format, tzinfo=zone, locale=_locale(context))

    env.filters.update(money=money, date=date_filter, datetime=datetime_filter)


def _defined(value: Any) -> Any:
    """A filter given a missing value fails like printing it would (StrictUndefined),
    instead of quietly rendering nothing."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    return value


def _locale(context: Context) -> str:
    return babel_locale(context.get("lang"))

